import { config } from 'zod';

/*
 * Imported first, before any schema exists: zod compiles object schemas with
 * `new Function` after probing whether it may. The page's CSP has no 'unsafe-eval',
 * so the probe fails anyway, but browsers report it as a policy violation; jitless
 * skips the probe and uses the interpreter zod would fall back to.
 */
config({ jitless: true });
