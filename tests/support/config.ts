import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@tertulia/server';

/** The ConfigError message for `env`; fails the test if the configuration is accepted. */
export function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}
