import assert from 'node:assert/strict';
import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAuthenticator, loadConfig, type Authenticator, type Identity, type RunningServer } from '@tertulia/server';
import jwt from 'jsonwebtoken';
import pino from 'pino';
import { runCli } from '../support/cli.js';
import { startTestServer } from '../support/server.js';
import { freePort } from '../support/slapd.js';
import { RawClient } from '../support/ws-client.js';

/*
 * Every token here is made by jsonwebtoken (an independent implementation) or by
 * hand, never by the project's own signer, except where `tertulia token` itself is tested.
 */
const APP_ID = 'my_jitsi_app_id';
const SECRET = 'my-jitsi-app-secret-0123456789';
const now = () => Math.floor(Date.now() / 1000);
const silent = pino({ level: 'silent' });

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** A Jitsi payload (Appendix B of the reference) with overrides. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: APP_ID,
    aud: APP_ID,
    sub: 'meet.jitsi',
    room: 'team',
    exp: now() + 3600,
    context: { user: { id: 'u-123', name: 'John Doe', email: 'jdoe@example.com', avatar: 'https://robohash.org/john-doe' } },
    ...overrides,
  };
}

const hs256 = (payload: object, secret: string = SECRET) => jwt.sign(payload, secret, { algorithm: 'HS256' });
const rs256 = (payload: object, kid?: string) => jwt.sign(payload, rsa.privateKey, { algorithm: 'RS256', ...(kid ? { keyid: kid } : {}) });
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** HS256 by hand, for payloads jsonwebtoken refuses to sign (a string exp). */
function hs256ByHand(payload: object): string {
  const input = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(payload)}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

function authenticator(env: Record<string, string>): Authenticator {
  return createAuthenticator(loadConfig({ ENABLE_AUTH: '1', AUTH_TYPE: 'jwt', JWT_APP_ID: APP_ID, ...env }), silent);
}

/** The AUTHENTICATION_FAILED message for `token` on `room`; fails the test if the token is accepted. */
async function refusal(auth: Authenticator, token: string, room = 'team'): Promise<string> {
  try {
    await auth.authenticate({ jwt: token }, room);
  } catch (error) {
    assert.equal((error as { code?: string }).code, 'AUTHENTICATION_FAILED');
    return (error as Error).message;
  }
  assert.fail('the token was accepted');
}

/** A key server on loopback serving `<sha256hex(kid)>.pem` for the kids it knows, counting requests. */
class KeyServer {
  readonly requests: string[] = [];
  readonly #server: Server;

  constructor(keys: Record<string, string>) {
    const byPath = new Map(Object.entries(keys).map(([kid, pem]) => [`/asap/${createHash('sha256').update(kid).digest('hex')}.pem`, pem]));
    this.#server = createServer((request, response) => {
      this.requests.push(request.url!);
      const pem = byPath.get(request.url!);
      response.writeHead(pem ? 200 : 404, { 'content-type': 'application/x-pem-file' }).end(pem ?? 'not found');
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/asap/`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

describe('JWT authentication (Jitsi tokens)', () => {
  describe('HS256 with JWT_APP_SECRET', () => {
    const auth = authenticator({ JWT_APP_SECRET: SECRET });

    it('accepts a valid token and maps context.user to the identity', async () => {
      assert.deepEqual(await auth.authenticate({ jwt: hs256(claims()) }, 'team'), {
        userId: 'u-123',
        displayName: 'John Doe',
        email: 'jdoe@example.com',
        avatar: 'https://robohash.org/john-doe',
        moderator: false,
        features: {},
      } satisfies Identity);
      assert.equal(auth.type, 'jwt');
    });

    it('accepts room "*" for any room, and compares room names case-insensitively', async () => {
      assert.ok(await auth.authenticate({ jwt: hs256(claims({ room: '*' })) }, 'anything'));
      assert.ok(await auth.authenticate({ jwt: hs256(claims({ room: 'TeAm' })) }, 'team'));
    });

    it('accepts HS384 and HS512 as well', async () => {
      for (const algorithm of ['HS384', 'HS512'] as const) {
        assert.ok(await auth.authenticate({ jwt: jwt.sign(claims(), SECRET, { algorithm }) }, 'team'));
      }
    });

    it('makes moderators from moderator: true / "true" and affiliation owner/moderator/teacher, and no one else', async () => {
      const moderator = async (user: object) => (await auth.authenticate({ jwt: hs256(claims({ context: { user } })) }, 'team'))!.moderator;
      for (const user of [{ moderator: true }, { moderator: 'true' }, { affiliation: 'owner' }, { affiliation: 'moderator' }, { affiliation: 'teacher' }]) {
        assert.equal(await moderator(user), true, JSON.stringify(user));
      }
      for (const user of [{}, { moderator: false }, { moderator: 'yes' }, { affiliation: 'member' }, { affiliation: 'Owner ' }]) {
        assert.equal(await moderator(user), false, JSON.stringify(user));
      }
    });

    it('maps context.features to booleans, taking Jitsi\'s "true"/"false" strings and dropping anything else', async () => {
      const features = { recording: true, livestreaming: 'false', transcription: 'true', 'outbound-call': false, 'create-polls': 1, flip: 'yes' };
      const identity = await auth.authenticate({ jwt: hs256(claims({ context: { user: { name: 'A' }, features } })) }, 'team');
      assert.deepEqual(identity!.features, { recording: true, livestreaming: false, transcription: true, 'outbound-call': false });
    });

    it('drops an avatar that is not an http(s) URL', async () => {
      const identity = await auth.authenticate({ jwt: hs256(claims({ context: { user: { avatar: 'javascript:alert(1)' } } })) }, 'team');
      assert.equal(identity!.avatar, undefined);
    });

    it('tolerates a little clock skew on exp', async () => {
      assert.ok(await auth.authenticate({ jwt: hs256(claims({ exp: now() - 10 })) }, 'team'));
    });

    it('returns no identity when no token is presented', async () => {
      assert.equal(await auth.authenticate({}, 'team'), undefined);
    });

    it('refuses a bad signature, alg none, expired and future tokens, wrong iss/aud/room, and garbage', async () => {
      const [header, payload] = hs256(claims()).split('.');
      const refused = {
        badSignature: await refusal(auth, hs256(claims(), 'another-secret-0123456789abcdef')),
        tamperedPayload: await refusal(auth, `${header}.${base64url(claims({ room: '*' }))}.${hs256(claims()).split('.')[2]}`),
        algNone: await refusal(auth, `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`),
        algNoneUppercase: await refusal(auth, `${base64url({ alg: 'NONE', typ: 'JWT' })}.${payload}.`),
        expired: await refusal(auth, hs256(claims({ exp: now() - 120 }))),
        notYetValid: await refusal(auth, hs256(claims({ nbf: now() + 120 }))),
        wrongIssuer: await refusal(auth, hs256(claims({ iss: 'someone-else' }))),
        noIssuer: await refusal(auth, hs256(claims({ iss: undefined }))),
        noAudience: await refusal(auth, hs256(claims({ aud: undefined }))),
        otherRoom: await refusal(auth, hs256(claims({ room: 'room-a' })), 'room-b'),
        noRoom: await refusal(auth, hs256(claims({ room: undefined }))),
        expAsString: await refusal(auth, hs256ByHand(claims({ exp: String(now() + 3600) }))),
        notAJwt: await refusal(auth, 'not.a.jwt'),
        wrongTyp: await refusal(auth, jwt.sign(claims(), SECRET, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'JOSE+JSON' } })),
      };
      assert.match(refused.badSignature, /signature/);
      assert.match(refused.tamperedPayload, /signature/);
      assert.match(refused.algNone, /none.*not accepted/);
      assert.match(refused.expired, /expired/);
      assert.match(refused.notYetValid, /not valid yet/);
      assert.match(refused.wrongIssuer, /issuer/);
      assert.match(refused.otherRoom, /not valid for this room/);
      assert.match(refused.expAsString, /exp/);
      assert.ok(await auth.authenticate({ jwt: hs256ByHand(claims()) }, 'team'), 'the hand-made signer itself is right');
    });

    it('refuses RS256 tokens when only a secret is configured', async () => {
      assert.match(await refusal(auth, rs256(claims(), 'k1')), /RS256 are not accepted/);
    });
  });

  it('checks aud against JWT_ACCEPTED_AUDIENCES and iss against JWT_ACCEPTED_ISSUERS', async () => {
    const auth = authenticator({ JWT_APP_SECRET: SECRET, JWT_ACCEPTED_AUDIENCES: 'meet-a,meet-b', JWT_ACCEPTED_ISSUERS: 'portal,lms' });
    assert.ok(await auth.authenticate({ jwt: hs256(claims({ iss: 'lms', aud: 'meet-b' })) }, 'team'));
    assert.ok(await auth.authenticate({ jwt: hs256(claims({ iss: 'portal', aud: ['other', 'meet-a'] })) }, 'team'));
    assert.match(await refusal(auth, hs256(claims({ iss: 'lms', aud: 'meet-c' }))), /audience/);
    assert.match(await refusal(auth, hs256(claims({ iss: APP_ID, aud: 'meet-a' }))), /issuer/);
  });

  it('checks sub against XMPP_DOMAIN with JWT_ENABLE_DOMAIN_VERIFICATION', async () => {
    const auth = authenticator({ JWT_APP_SECRET: SECRET, JWT_ENABLE_DOMAIN_VERIFICATION: 'true', XMPP_DOMAIN: 'meet.example.org' });
    assert.ok(await auth.authenticate({ jwt: hs256(claims({ sub: 'meet.example.org' })) }, 'team'));
    assert.ok(await auth.authenticate({ jwt: hs256(claims({ sub: '*' })) }, 'team'));
    assert.match(await refusal(auth, hs256(claims({ sub: 'evil.example.org' }))), /domain/);
    assert.match(await refusal(auth, hs256(claims({ sub: undefined }))), /domain/);
  });

  describe('RS256 with JWT_ASAP_KEYSERVER', () => {
    const keys = new KeyServer({ 'my-key-1': rsaPublicPem, 'ec-key': ec.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    let keyServer: string;
    before(async () => {
      keyServer = await keys.start();
    });
    after(() => keys.close());

    it('fetches the public key from <keyserver>/<sha256hex(kid)>.pem once and then uses the cache', async () => {
      const auth = authenticator({ JWT_ASAP_KEYSERVER: keyServer });
      const identity = await auth.authenticate({ jwt: rs256(claims({ context: { user: { name: 'Ana', moderator: true } } }), 'my-key-1') }, 'team');
      assert.equal(identity!.moderator, true);
      assert.ok(await auth.authenticate({ jwt: rs256(claims({ room: '*' }), 'my-key-1') }, 'other'));
      assert.deepEqual(keys.requests, [`/asap/${createHash('sha256').update('my-key-1').digest('hex')}.pem`]);
    });

    it('refuses RS256 without kid, an unknown kid, a non-RSA key, HS/RS confusion and a forged signature', async () => {
      const auth = authenticator({ JWT_ASAP_KEYSERVER: keyServer });
      assert.match(await refusal(auth, rs256(claims())), /kid/);
      assert.match(await refusal(auth, rs256(claims(), 'unknown-key')), /no key/);
      assert.match(await refusal(auth, jwt.sign(claims(), ec.privateKey, { algorithm: 'ES256', keyid: 'ec-key' })), /ES256 are not accepted/);
      assert.match(await refusal(auth, rs256(claims(), 'ec-key')), /could not be reached/);
      // The classic confusion: HMAC "signed" with the server's public key as the secret.
      const confused = jwt.sign(claims(), rsaPublicPem, { algorithm: 'HS256', keyid: 'my-key-1', allowInsecureKeySizes: true } as jwt.SignOptions);
      assert.match(await refusal(auth, confused), /HS256 are not accepted/);
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
      assert.match(await refusal(auth, jwt.sign(claims(), other.privateKey, { algorithm: 'RS256', keyid: 'my-key-1' })), /signature/);
    });

    it('with both a secret and a key server, still never takes the public key as an HMAC secret', async () => {
      const auth = authenticator({ JWT_APP_SECRET: SECRET, JWT_ASAP_KEYSERVER: keyServer });
      const confused = jwt.sign(claims(), rsaPublicPem, { algorithm: 'HS256', keyid: 'my-key-1' } as jwt.SignOptions);
      assert.match(await refusal(auth, confused), /signature/);
      assert.ok(await auth.authenticate({ jwt: hs256(claims()) }, 'team'));
      assert.ok(await auth.authenticate({ jwt: rs256(claims(), 'my-key-1') }, 'team'));
    });

    it('refuses quickly, saying so, when the key server cannot be reached', async () => {
      const auth = authenticator({ JWT_ASAP_KEYSERVER: `http://127.0.0.1:${await freePort()}/asap` });
      const started = performance.now();
      assert.match(await refusal(auth, rs256(claims(), 'my-key-1')), /could not be reached/);
      assert.ok(performance.now() - started < 2000);
    });
  });

  describe('anonymous mode (ENABLE_AUTH off)', () => {
    it('still verifies a presented token when JWT settings exist, so names and roles can be passed', async () => {
      const auth = createAuthenticator(loadConfig({ JWT_APP_ID: APP_ID, JWT_APP_SECRET: SECRET }), silent);
      assert.equal(auth.type, 'anonymous');
      assert.equal(await auth.authenticate({}, 'team'), undefined);
      assert.equal((await auth.authenticate({ jwt: hs256(claims()) }, 'team'))!.displayName, 'John Doe');
      assert.match(await refusal(auth, hs256(claims(), 'another-secret-0123456789abcdef')), /signature/);
    });

    it('ignores credentials without JWT settings', async () => {
      const auth = createAuthenticator(loadConfig({}), silent);
      assert.equal(await auth.authenticate({ jwt: hs256(claims()), username: 'a', password: 'b' }, 'team'), undefined);
    });
  });

  describe('through a running server', () => {
    let server: RunningServer;
    before(async () => {
      server = await startTestServer({ ENABLE_AUTH: '1', AUTH_TYPE: 'jwt', JWT_APP_ID: APP_ID, JWT_APP_SECRET: SECRET, JWT_ALLOW_EMPTY: '1' });
    });
    after(() => server.close());

    const join = async (auth?: object) => {
      const client = await RawClient.connect(server.url);
      const reply = await client.request('join', { room: 'Team', displayName: 'Someone', ...(auth ? { auth } : {}) });
      return { client, reply };
    };

    it('refuses a forged token even with JWT_ALLOW_EMPTY, lets people without one wait as guests, and lets a token moderator in', async () => {
      const forged = await join({ jwt: hs256(claims({ context: { user: { moderator: true } } }), 'another-secret-0123456789abcdef') });
      assert.equal(forged.reply.error?.code, 'AUTHENTICATION_FAILED');
      const tokenless = await join();
      assert.deepEqual(tokenless.reply.data, { status: 'waiting', reason: 'host' });
      const host = await join({ jwt: hs256(claims({ context: { user: { name: 'Host', moderator: true } } })) });
      assert.equal(host.reply.data.status, 'joined', JSON.stringify(host.reply.error));
      assert.equal(host.reply.data.meeting.self.role, 'moderator');
      assert.equal(host.reply.data.meeting.self.displayName, 'Host');
      for (const { client } of [forged, tokenless, host]) client.close();
    });

    it('shows the token’s avatar to everyone, and lets the person change it to another valid picture only', async () => {
      const picture = 'https://pictures.example.org/ana.png';
      const ana = await join({ jwt: hs256(claims({ context: { user: { name: 'Ana', avatar: picture, moderator: true } } })) });
      assert.equal(ana.reply.data.meeting.self.avatarUrl, picture);
      const bea = await join({ jwt: hs256(claims({ context: { user: { name: 'Bea' } } })) });
      const anaSeenByBea = bea.reply.data.meeting.participants.find((p: { displayName: string }) => p.displayName === 'Ana');
      assert.equal(anaSeenByBea.avatarUrl, picture);
      assert.equal('avatarUrl' in bea.reply.data.meeting.self, false, 'no avatar claim, no picture');

      const next = 'data:image/png;base64,iVBORw0KGgo=';
      assert.equal((await ana.client.request('setAvatarUrl', { avatarUrl: next })).ok, true);
      const update = await bea.client.waitFor((m) => m.method === 'participantUpdated' && m.data.participant.displayName === 'Ana');
      assert.equal(update.data.participant.avatarUrl, next);
      for (const bad of ['javascript:alert(1)', 'http://pictures.example.org/a.png', 'data:text/html;base64,PGI+', `https://x.example/${'a'.repeat(2048)}`, 42]) {
        const reply = await ana.client.request('setAvatarUrl', { avatarUrl: bad });
        assert.equal(reply.error?.code, 'INVALID_REQUEST', String(bad).slice(0, 40));
      }
      assert.equal((await ana.client.request('setAvatarUrl', { avatarUrl: null })).ok, true);
      const cleared = await bea.client.waitFor((m) => m.method === 'participantUpdated' && m.data.participant.displayName === 'Ana' && !('avatarUrl' in m.data.participant));
      assert.ok(cleared, 'initials again');
      for (const { client } of [ana, bea]) client.close();
    });
  });

  describe('tertulia token', () => {
    let cwd: string;
    before(async () => {
      cwd = await mkdtemp(join(tmpdir(), 'tertulia-token-'));
    });
    after(() => rm(cwd, { recursive: true, force: true }));
    const env = { JWT_APP_ID: APP_ID, JWT_APP_SECRET: SECRET };

    it('mints an HS256 token that jsonwebtoken verifies and the server accepts', async () => {
      const result = await runCli(
        ['token', '--room', 'Team', '--name', 'Ana', '--email', 'ana@example.org', '--moderator', '--ttl', '2h', '--features', 'recording,livestreaming'],
        { cwd, env },
      );
      assert.equal(result.code, 0, result.stderr);
      const token = result.stdout.trim();
      const verified = jwt.verify(token, SECRET, { algorithms: ['HS256'], issuer: APP_ID, audience: APP_ID, complete: true });
      assert.deepEqual(verified.header, { alg: 'HS256', typ: 'JWT' });
      const payload = verified.payload as jwt.JwtPayload;
      assert.equal(payload['room'], 'Team');
      assert.equal(payload.sub, 'meet.jitsi');
      assert.ok(Math.abs(payload.exp! - payload.iat! - 7200) <= 1);
      assert.deepEqual(payload['context'], { user: { name: 'Ana', email: 'ana@example.org', moderator: true }, features: { recording: true, livestreaming: true } });

      const identity = await authenticator(env).authenticate({ jwt: token }, 'team');
      assert.equal(identity!.moderator, true);
      assert.deepEqual(identity!.features, { recording: true, livestreaming: true });
    });

    it('explains what is missing, with exit code 2', async () => {
      const noSecret = await runCli(['token', '--room', '*'], { cwd, env: { JWT_APP_ID: APP_ID } });
      assert.equal(noSecret.code, 2);
      assert.match(noSecret.stderr, /JWT_APP_SECRET/);
      const noRoom = await runCli(['token'], { cwd, env });
      assert.equal(noRoom.code, 2);
      assert.match(noRoom.stderr, /--room/);
      const badTtl = await runCli(['token', '--room', '*', '--ttl', 'forever'], { cwd, env });
      assert.equal(badTtl.code, 2);
      assert.match(badTtl.stderr, /--ttl/);
    });
  });
});
