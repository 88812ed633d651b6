import type { Authenticator, Identity } from './authenticator.js';

/** ENABLE_AUTH off and no JWT settings: anyone with the link joins, and credentials mean nothing. */
export class AnonymousAuthenticator implements Authenticator {
  readonly type = 'anonymous';

  async authenticate(): Promise<Identity | undefined> {
    return undefined;
  }

  async close(): Promise<void> {}
}
