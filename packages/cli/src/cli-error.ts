/** Exit status for a command used wrongly or a configuration that cannot work. */
export const EXIT_USAGE = 2;

/** A failure the person running the command can act on; main prints the message alone and exits with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
