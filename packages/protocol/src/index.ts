export * from './errors.js';
export * from './limits.js';
export * from './media-types.js';
export * from './messages.js';
export * from './room-name.js';
export * from './self-test.js';
export * from './client-requests.js';
