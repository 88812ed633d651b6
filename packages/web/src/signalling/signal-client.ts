import {
  CloseCode,
  ErrorCode,
  Notifications,
  ProtocolError,
  Requests,
  ServerMessage,
  isNotificationMethod,
  type NotificationData,
  type NotificationMethod,
  type RequestData,
  type RequestMethod,
  type ResponseData,
} from '@tertulia/protocol';
import { LocalizedError } from '../i18n/localized-error.js';

const REQUEST_TIMEOUT_MS = 15_000;

type NotificationHandlers = { [M in NotificationMethod]?: (data: NotificationData<M>) => void };

interface Pending {
  method: RequestMethod;
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** This server's signalling WebSocket (wss when the page came over https). */
export function signallingUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/** The connection died before or while a request was in flight. */
export class ConnectionLostError extends LocalizedError {
  override readonly name = 'ConnectionLostError';
}

/**
 * The browser end of the signalling WebSocket: typed requests that resolve with
 * validated responses, and typed notifications. One instance is one socket; the
 * conference makes a new one to reconnect.
 */
export class SignalClient {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, Pending>();
  readonly #handlers: NotificationHandlers;
  #nextId = 1;
  #onClose: ((code: number) => void) | undefined;
  /** Set when the server refused this connection at once (a per-address limit): why, for every request. */
  #refusal: ProtocolError | undefined;

  static connect(url: string, handlers: NotificationHandlers, onClose: (code: number) => void): Promise<SignalClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const client = new SignalClient(socket, handlers);
      socket.addEventListener('open', () => {
        client.#onClose = onClose;
        resolve(client);
      }, { once: true });
      socket.addEventListener('close', () => reject(new ConnectionLostError({ key: 'errors.cannotReach', params: { url } })), { once: true });
    });
  }

  private constructor(socket: WebSocket, handlers: NotificationHandlers) {
    this.#socket = socket;
    this.#handlers = handlers;
    socket.addEventListener('message', (event) => this.#receive(event.data));
    socket.addEventListener('close', (event) => {
      if (event.code === CloseCode.Refused) this.#refusal = refusalFrom(event.reason);
      for (const pending of this.#pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(this.#refusal ?? new ConnectionLostError({ key: 'errors.connectionLost' }));
      }
      this.#pending.clear();
      this.#onClose?.(event.code);
    });
  }

  request<M extends RequestMethod>(method: M, data: RequestData<M>): Promise<ResponseData<M>> {
    if (this.#socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(this.#refusal ?? new ConnectionLostError({ key: 'errors.notConnected' }));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new LocalizedError({ key: 'errors.noAnswer', params: { method } }));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { method, resolve: resolve as (data: unknown) => void, reject, timer });
      this.#socket.send(JSON.stringify({ type: 'request', id, method, data }));
    });
  }

  /** Closes without triggering the reconnect callback. */
  close(): void {
    this.#onClose = undefined;
    this.#socket.close(1000);
  }

  #receive(raw: unknown): void {
    let message;
    try {
      message = ServerMessage.parse(JSON.parse(String(raw)));
    } catch {
      console.warn('tertulia: ignored a malformed message from the server');
      return;
    }
    if (message.type === 'notification') {
      this.#dispatch(message.method, message.data);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (!message.ok) {
      pending.reject(new ProtocolError(message.error.code as ErrorCode, message.error.message, message.error.loginUrl));
      return;
    }
    const parsed = Requests[pending.method].response.safeParse(message.data);
    if (parsed.success) pending.resolve(parsed.data);
    else pending.reject(new LocalizedError({ key: 'errors.badAnswer', params: { method: pending.method } }));
  }

  #dispatch(method: string, data: unknown): void {
    if (!isNotificationMethod(method)) return;
    const parsed = Notifications[method].safeParse(data);
    if (!parsed.success) {
      console.warn(`tertulia: ignored an invalid "${method}" notification`);
      return;
    }
    const handler = this.#handlers[method] as ((data: unknown) => void) | undefined;
    handler?.(parsed.data);
  }
}

/** The error a refusing close stands for: its reason is the error code (TOO_MANY_CONNECTIONS, RATE_LIMITED). */
function refusalFrom(reason: string): ProtocolError {
  const code = reason === ErrorCode.TooManyConnections ? ErrorCode.TooManyConnections : ErrorCode.RateLimited;
  return new ProtocolError(code, `The server refused the connection: ${reason}`);
}
