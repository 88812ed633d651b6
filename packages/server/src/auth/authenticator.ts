/**
 * Who someone is, as established by the configured authentication (AUTH_TYPE).
 * The signalling layer asks an Authenticator once per join and decides roles,
 * guest waiting and permissions from the answer; backends never decide policy.
 */

/** What a browser may present when joining. */
export interface Credentials {
  /** A Jitsi-format JWT (from `?jwt=` or the iframe API's `jwt` option). */
  jwt?: string | undefined;
  /** Internal or LDAP accounts. */
  username?: string | undefined;
  password?: string | undefined;
}

export interface Identity {
  /** Stable id of the account or token subject. */
  userId: string;
  displayName?: string | undefined;
  email?: string | undefined;
  avatar?: string | undefined;
  /** The token (or directory) says this person moderates. */
  moderator: boolean;
  /** JWT `context.features` (e.g. recording, livestreaming, create-polls), as booleans. */
  features: Record<string, boolean>;
}

export interface Authenticator {
  /** The AUTH_TYPE this authenticator implements, or 'anonymous'. */
  readonly type: 'anonymous' | 'internal' | 'ldap' | 'jwt';
  /**
   * Checks the credentials for a join to `roomKey` (the case-folded room name).
   * Returns undefined when none were presented (the caller decides whether a guest
   * may join), the Identity when they are valid, and throws ProtocolError
   * AUTHENTICATION_FAILED (wrong password, bad/expired/forged token, wrong room,
   * unreachable key server or directory, …) with a message a person can act on.
   */
  authenticate(credentials: Credentials, roomKey: string): Promise<Identity | undefined>;
  /** Idempotent. */
  close(): Promise<void>;
}
