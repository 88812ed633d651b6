import { CliError, EXIT_USAGE } from './cli-error.js';

const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 1024;

/**
 * A new password: typed twice without echo on a terminal, or the first line of
 * standard input (for scripts, or with --password-stdin).
 */
export async function readNewPassword(fromStdin: boolean): Promise<string> {
  let password: string;
  if (fromStdin || !process.stdin.isTTY) {
    password = await firstLineOfStdin();
  } else {
    password = await promptHidden('Password: ');
    if ((await promptHidden('Password (again): ')) !== password) throw new CliError('The two passwords differ; nothing was changed.');
  }
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new CliError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters.`, EXIT_USAGE);
  if (password.length > MAX_PASSWORD_LENGTH) throw new CliError(`A password has at most ${MAX_PASSWORD_LENGTH} characters.`, EXIT_USAGE);
  return password;
}

async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk.toString('utf8');
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** Reads one line from the terminal in raw mode, echoing nothing; Ctrl-C aborts. */
function promptHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: Buffer) => {
      for (const character of chunk.toString('utf8')) {
        if (character === '\r' || character === '\n' || character === '\u0004') return finish(() => resolve(typed));
        if (character === '\u0003') return finish(() => reject(new CliError('Cancelled.', 130)));
        if (character === '\u007f' || character === '\b') typed = [...typed].slice(0, -1).join('');
        else if (character >= ' ') typed += character;
      }
    };
    stdin.on('data', onData);
  });
}
