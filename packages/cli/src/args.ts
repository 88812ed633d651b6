import { CliError, EXIT_USAGE } from './cli-error.js';

/** Runs a node:util parseArgs call, turning its complaints (unknown option, missing value) into a usage error ending in `usage`. */
export function parsedOrUsage<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${usage}`, EXIT_USAGE);
  }
}
