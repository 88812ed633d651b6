import { ErrorCode, ProtocolError } from '@tertulia/protocol';
import type { MessageKey, Text } from './i18n.js';
import { LocalizedError } from './localized-error.js';

/**
 * Codes whose every server message says the same thing, so one sentence per
 * language fits. The others (FORBIDDEN, AUTHENTICATION_FAILED, NOT_FOUND, …)
 * carry reasons only the server's own message gives, and show it as it came.
 */
const BY_CODE: Partial<Record<ErrorCode, MessageKey>> = {
  [ErrorCode.AuthenticationRequired]: 'errors.authenticationRequired',
  [ErrorCode.PasswordRequired]: 'errors.passwordRequired',
  [ErrorCode.PasswordIncorrect]: 'errors.passwordIncorrect',
  [ErrorCode.LobbyDenied]: 'errors.lobbyDenied',
  [ErrorCode.RateLimited]: 'errors.rateLimited',
  [ErrorCode.TooManyConnections]: 'errors.tooManyConnections',
  [ErrorCode.RoomFull]: 'errors.roomFull',
  [ErrorCode.ServerBusy]: 'errors.serverBusy',
  [ErrorCode.ShuttingDown]: 'errors.shuttingDown',
  [ErrorCode.Internal]: 'errors.internal',
  [ErrorCode.NotJoined]: 'errors.notJoined',
  [ErrorCode.InvalidRoomName]: 'errors.invalidRoomName',
};

/** What to tell a person about `error`, in their language where we can. */
export function describeError(error: unknown): Text {
  if (error instanceof LocalizedError) return error.phrase;
  if (error instanceof ProtocolError) {
    const key = BY_CODE[error.code];
    return key ? { key } : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
