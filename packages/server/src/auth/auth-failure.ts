import { ErrorCode, ProtocolError } from '@tertulia/protocol';

/** The one error every backend throws for refused credentials; `message` is shown to the person joining. */
export function authenticationFailed(message: string): ProtocolError {
  return new ProtocolError(ErrorCode.AuthenticationFailed, message);
}

/** Said for an unknown account and a wrong password alike, so a login form does not reveal which accounts exist. */
export const WRONG_LOGIN = 'Wrong username or password.';

/** Said when the server's own setup (a users file, a directory service account) fails; the details go to the log. */
export const LOGIN_BROKEN = 'Login is not working on this server right now; tell its administrator.';
