import { parseArgs } from 'node:util';
import { alreadyExists, loadConfig, noSuchUser, usernameKey, UserStore, usersFilePath, type Config } from '@tertulia/server';
import { parsedOrUsage } from '../args.js';
import { CliError, EXIT_USAGE } from '../cli-error.js';
import { readNewPassword } from '../password-input.js';

export const USER_USAGE = `Usage:
  tertulia user add <name> [--password-stdin]   Create an account (asks for the password twice)
  tertulia user passwd <name> [--password-stdin] Set a new password
  tertulia user remove <name>                    Delete an account
  tertulia user list                             Print every account name

Accounts live in DATA_DIR/users.json (DATA_DIR defaults to ./data) and are used
when ENABLE_AUTH=1 and AUTH_TYPE=internal; a running server sees changes at once.
Without a terminal, the password is the first line of standard input.`;

/** `tertulia user …`: Tertulia's `prosodyctl register`, for AUTH_TYPE=internal accounts. */
export async function user(args: string[]): Promise<number> {
  const { positionals, values } = parsedOrUsage(USER_USAGE, () =>
    parseArgs({ args, options: { 'password-stdin': { type: 'boolean' } }, allowPositionals: true }),
  );
  const [action, name, ...extra] = positionals;
  const needsName = action === 'add' || action === 'passwd' || action === 'remove';
  if (!action || extra.length > 0 || (needsName ? name === undefined : name !== undefined || action !== 'list')) {
    throw new CliError(USER_USAGE, EXIT_USAGE);
  }
  const config = loadConfig();
  const store = new UserStore(usersFilePath(config.DATA_DIR));
  // Checked before asking for a password, so nobody types one twice only to hear the name was wrong.
  if (name !== undefined) {
    const exists = (await store.current()).has(usernameKey(name));
    if (action === 'add' && exists) throw alreadyExists(name);
    if (action !== 'add' && !exists) throw noSuchUser(name);
  }
  switch (action) {
    case 'list':
      for (const account of await store.list()) process.stdout.write(`${account.name}\n`);
      return 0;
    case 'add':
      await store.add(name!, await readNewPassword(values['password-stdin'] === true));
      report(`Added "${name}" to ${store.path}.`, config);
      return 0;
    case 'passwd':
      await store.setPassword(name!, await readNewPassword(values['password-stdin'] === true));
      report(`Changed the password of "${name}" in ${store.path}.`, config);
      return 0;
    default:
      await store.remove(name!);
      report(`Removed "${name}" from ${store.path}.`, config);
      return 0;
  }
}

/** Says what was done, and whether this server's settings use these accounts at all. */
function report(done: string, config: Config): void {
  const unused = !config.ENABLE_AUTH ? 'ENABLE_AUTH is off' : config.AUTH_TYPE !== 'internal' ? `AUTH_TYPE is ${config.AUTH_TYPE}` : undefined;
  process.stderr.write(`${done}\n${unused ? `Note: ${unused}, so the server does not ask for these accounts.\n` : ''}`);
}
