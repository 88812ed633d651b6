/**
 * What two browsers send each other to exchange media keys, as the opaque base64 the
 * server relays (`sendE2eeMessage`): a first byte says which message it is.
 *   hello: our X25519 public key (32 bytes), to agree on a pair key
 *   key:   our media key sealed under the pair key (see key-exchange.ts)
 */

export type KeyMessage = { type: 'hello'; publicKey: Uint8Array<ArrayBuffer> } | { type: 'key'; sealed: Uint8Array<ArrayBuffer> };

const HELLO = 1;
const KEY = 2;

export function encodeKeyMessage(message: KeyMessage): string {
  const body = message.type === 'hello' ? message.publicKey : message.sealed;
  const bytes = new Uint8Array(1 + body.length);
  bytes[0] = message.type === 'hello' ? HELLO : KEY;
  bytes.set(body, 1);
  return btoa(String.fromCharCode(...bytes));
}

/** The message, or undefined for anything else (a newer client's message, garbage). */
export function decodeKeyMessage(text: string): KeyMessage | undefined {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
  const body = bytes.slice(1);
  if (bytes[0] === HELLO && body.length === 32) return { type: 'hello', publicKey: body };
  if (bytes[0] === KEY && body.length > 0) return { type: 'key', sealed: body };
  return undefined;
}
