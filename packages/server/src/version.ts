import { createRequire } from 'node:module';

/** This release's version, as its package.json says (reported in stats and in the registry). */
export const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
