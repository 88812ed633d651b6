export { ConfigError, httpsMode, loadConfig, publicUrl, type Config, type HttpsMode } from './config.js';
export { createLogger } from './logger.js';
export { startServer, type RunningServer } from './server.js';
export { createAuthenticator } from './auth/create-authenticator.js';
export type { Authenticator, Credentials, Identity } from './auth/authenticator.js';
export { alreadyExists, noSuchUser, usernameKey, UserStore, usersFilePath } from './auth/internal/user-store.js';
export { mintToken, type TokenRequest } from './auth/jwt/token-minter.js';
