import {
  ClientRequests,
  CloseCode,
  ErrorCode,
  ProtocolError,
  type NotificationHandlers,
  type RequestData,
  type RequestMethod,
  type ResponseData,
} from '@tertulia/protocol';
import { LocalizedError } from '../i18n/localized-error.js';

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
  readonly #requests = new ClientRequests({
    timeout: (method) => new LocalizedError({ key: 'errors.noAnswer', params: { method } }),
    refused: (_, error) => new ProtocolError(error.code as ErrorCode, error.message, error.loginUrl),
    malformed: (method) => new LocalizedError({ key: 'errors.badAnswer', params: { method } }),
  });
  readonly #handlers: NotificationHandlers;
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
    socket.addEventListener('message', (event) => {
      const ignored = this.#requests.receive(String(event.data), this.#handlers);
      if (ignored) console.warn(`tertulia: ${ignored}`);
    });
    socket.addEventListener('close', (event) => {
      if (event.code === CloseCode.Refused) this.#refusal = refusalFrom(event.reason);
      this.#requests.failAll(() => this.#refusal ?? new ConnectionLostError({ key: 'errors.connectionLost' }));
      this.#onClose?.(event.code);
    });
  }

  request<M extends RequestMethod>(method: M, data: RequestData<M>): Promise<ResponseData<M>> {
    if (this.#socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(this.#refusal ?? new ConnectionLostError({ key: 'errors.notConnected' }));
    }
    return this.#requests.request(method, data, (frame) => this.#socket.send(frame));
  }

  /** Closes without triggering the reconnect callback. */
  close(): void {
    this.#onClose = undefined;
    this.#socket.close(1000);
  }
}

/** The error a refusing close stands for: its reason is the error code (TOO_MANY_CONNECTIONS, RATE_LIMITED). */
function refusalFrom(reason: string): ProtocolError {
  const code = reason === ErrorCode.TooManyConnections ? ErrorCode.TooManyConnections : ErrorCode.RateLimited;
  return new ProtocolError(code, `The server refused the connection: ${reason}`);
}
