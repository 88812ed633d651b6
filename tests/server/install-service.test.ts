import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CLI, runCli } from '../support/cli.js';
import { OverlayRoot } from '../support/overlay-root.js';

/*
 * `tertulia install-service`: the unit it writes is checked by systemd's own tools
 * (verify, and the security score so that a hardening regression fails here), and
 * the installation itself runs for real as root, with /etc, /var and /home overlaid
 * so that its user, files and directories can be read back without changing this
 * machine. systemd is not PID 1 here, so the last step is the "not running" branch.
 */
const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const UNIT_PATH = '/etc/systemd/system/tertulia.service';
const CONFIG_PATH = '/etc/tertulia/tertulia.json';
const DATA_DIR = '/var/lib/tertulia';
/** Measured 1.5 ("OK") for the unit as written; anything that loosens the sandbox raises it. */
const MAX_EXPOSURE = 1.5;
const NODE = [process.execPath, CLI];

/** The fields of an /etc/passwd or /etc/group line for `name`, read from a copy of the file. */
async function entry(file: string, name: string): Promise<string[] | undefined> {
  const line = (await readFile(file, 'utf8')).split('\n').find((candidate) => candidate.startsWith(`${name}:`));
  return line?.split(':');
}

describe('tertulia install-service', { timeout: 60_000 }, () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tertulia-service-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--print writes a unit that systemd-analyze verifies and scores as well hardened', async (t) => {
    const printed = await runCli(['install-service', '--print'], { cwd: dir });
    assert.equal(printed.code, 0, printed.stderr);
    const unit = printed.stdout;
    assert.match(unit, new RegExp(`^ExecStart=${realpathSync(process.execPath)} ${realpathSync(CLI)} serve$`, 'm'));
    assert.match(unit, /^User=tertulia$/m);
    assert.match(unit, /^Environment=TERTULIA_CONFIG=\/etc\/tertulia\/tertulia\.json NODE_ENV=production$/m);
    const file = join(dir, 'tertulia.service');
    await writeFile(file, unit);

    const verified = await run('systemd-analyze', ['verify', file]).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
    );
    // verify also loads the units ours refers to (network-online.target …); only complaints about ours count.
    const aboutOurs = verified.output.split('\n').filter((line) => line.includes('tertulia'));
    assert.deepEqual(aboutOurs, [], verified.output);
    assert.equal(verified.code, 0, verified.output);

    const { stdout: security } = await run('systemd-analyze', ['security', '--offline=true', file]);
    const score = /Overall exposure level for tertulia\.service: ([\d.]+) (\S+)/.exec(security);
    assert.ok(score, security);
    t.diagnostic(`systemd-analyze security: exposure ${score[1]} ${score[2]}`);
    assert.ok(Number(score[1]) <= MAX_EXPOSURE, `exposure ${score[1]} is above ${MAX_EXPOSURE}:\n${security}`);
  });

  it('--user names the account the unit runs as', async () => {
    const printed = await runCli(['install-service', '--print', '--user', 'meetings'], { cwd: dir });
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^User=meetings\nGroup=meetings$/m);
  });

  it('refuses to run without root, saying to use sudo, and changes nothing', async () => {
    const paths = [UNIT_PATH, CONFIG_PATH, DATA_DIR];
    const before = paths.map((path) => existsSync(path));
    const refused = await runCli(['install-service'], { cwd: tmpdir(), asUser: 'nobody' });
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /needs root: run it with sudo/);
    assert.equal(refused.stdout, '');
    assert.deepEqual(paths.map((path) => existsSync(path)), before);
  });

  describe('as root', () => {
    let root: OverlayRoot;

    before(async () => {
      root = await OverlayRoot.create();
    });
    after(async () => {
      await root.remove();
    });

    it('creates the user, DATA_DIR, the config from the environment and the unit, and says what to run', async () => {
      const env = { ENABLE_LETSENCRYPT: '1', LETSENCRYPT_DOMAIN: 'meet.example.org', LETSENCRYPT_EMAIL: 'ops@example.org' };
      const installed = await root.run([...NODE, 'install-service'], { env });
      assert.equal(installed.code, 0, installed.stderr);
      for (const step of [/created the system user and group tertulia/, /\/var\/lib\/tertulia \(DATA_DIR\): mode 0750/, /wrote \/etc\/tertulia\/tertulia\.json/, /wrote \/etc\/systemd\/system\/tertulia\.service/]) {
        assert.match(installed.stdout, step);
      }
      assert.match(installed.stdout, /systemd is not running on this machine .* systemctl daemon-reload && systemctl enable --now tertulia/);
      assert.match(installed.stdout, /journalctl -u tertulia -f/);
      assert.match(installed.stdout, /npx tertulia doctor/);

      const user = await entry(root.upper('/etc/passwd'), 'tertulia');
      assert.ok(user, 'no tertulia in /etc/passwd');
      assert.deepEqual(user.slice(5), [DATA_DIR, '/usr/sbin/nologin']);
      assert.ok(Number(user[2]) < 1000, `uid ${user[2]} is not a system account's`);
      const group = await entry(root.upper('/etc/group'), 'tertulia');
      assert.equal(group?.[2], user[3], 'the primary group is tertulia');

      const data = await stat(root.upper(DATA_DIR));
      assert.equal(data.mode & 0o777, 0o750);
      assert.equal(data.uid, Number(user[2]));

      const config = await stat(root.upper(CONFIG_PATH));
      assert.equal(config.mode & 0o777, 0o640);
      assert.deepEqual([config.uid, config.gid], [0, Number(user[3])]);
      assert.deepEqual(JSON.parse(await readFile(root.upper(CONFIG_PATH), 'utf8')), { DATA_DIR, ...env });

      const printed = await runCli(['install-service', '--print'], { cwd: dir });
      assert.equal(await readFile(root.upper(UNIT_PATH), 'utf8'), printed.stdout);
    });

    it('run again, keeps the user and the config file as they are', async () => {
      const again = await root.run([...NODE, 'install-service'], { env: { LETSENCRYPT_DOMAIN: 'other.example.org' } });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /the user tertulia exists/);
      assert.match(again.stdout, /\/etc\/tertulia\/tertulia\.json exists; left as it is/);
      assert.equal(JSON.parse(await readFile(root.upper(CONFIG_PATH), 'utf8')).LETSENCRYPT_DOMAIN, 'meet.example.org');
    });
  });

  it('refuses settings the server would refuse, before writing the unit', async () => {
    const root = await OverlayRoot.create();
    try {
      const refused = await root.run([...NODE, 'install-service'], { env: { ENABLE_LETSENCRYPT: '1' } });
      assert.equal(refused.code, 1, refused.stdout);
      assert.match(refused.stderr, /LETSENCRYPT_DOMAIN/);
      assert.match(refused.stderr, /Fix \/etc\/tertulia\/tertulia\.json, then run install-service again/);
      assert.equal(existsSync(root.upper(UNIT_PATH)), false);
    } finally {
      await root.remove();
    }
  });

  it('refuses a checkout under /home, which the sandbox hides, before changing anything', async () => {
    const root = await OverlayRoot.create();
    try {
      const checkout = '/home/ana/tertulia';
      const refused = await root.run([process.execPath, join(checkout, 'packages/cli/dist/main.js'), 'install-service'], { binds: { [checkout]: REPO } });
      assert.equal(refused.code, 1, refused.stdout);
      assert.match(refused.stderr, /\/home\/ana\/tertulia\/packages\/cli\/dist\/main\.js is under \/home/);
      assert.match(refused.stderr, /git clone … \/opt\/tertulia, run npm start once there/);
      assert.equal(existsSync(root.upper('/etc/passwd')), false, 'no user was created');
    } finally {
      await root.remove();
    }
  });

  it('npx tertulia runs the built command from the checkout', async () => {
    assert.equal(realpathSync(join(REPO, 'node_modules/.bin/tertulia')), realpathSync(CLI));
    assert.ok((await stat(CLI)).mode & 0o111, `${CLI} is not executable`);
    // --no: fail rather than fetch a package called tertulia from the registry.
    const { stdout } = await run('npx', ['--no', 'tertulia', 'help'], { cwd: REPO });
    assert.match(stdout, /^Usage: tertulia <command>/);
    assert.match(stdout, /install-service/);
  });
});
