import {
  ClientRequests,
  REQUEST_TIMEOUT_MS,
  type NotificationData,
  type NotificationHandlers,
  type NotificationMethod,
  type RequestData,
  type RequestMethod,
  type ResponseData,
} from '@tertulia/protocol';
import WebSocket from 'ws';

const REQUEST_TIMEOUT_S = REQUEST_TIMEOUT_MS / 1000;

/** Tertulia's signalling WebSocket as a synthetic participant uses it: typed requests and notifications, validated like the browser's. */
export class SignalClient {
  readonly #socket: WebSocket;
  readonly #requests = new ClientRequests({
    timeout: (method) => new Error(`No answer to ${method} within ${REQUEST_TIMEOUT_S} s`),
    refused: (method, error) => new Error(`${method} refused: ${error.code} ${error.message}`),
    malformed: (method) => new Error(`Malformed answer to ${method}`),
  });
  readonly #handlers: NotificationHandlers = {};

  /** `url` is the server's base URL (http://host:port); the socket is its /ws. */
  static async connect(url: string): Promise<SignalClient> {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', (error) => reject(new Error(`Cannot reach Tertulia's signalling at ${url}: ${error.message}`)));
    });
    return new SignalClient(socket);
  }

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    // A frame that is not the protocol's is ignored: nothing to answer.
    socket.on('message', (raw) => void this.#requests.receive(raw.toString(), this.#handlers));
    socket.on('error', () => undefined); // 'close' follows and fails what is pending
    socket.on('close', (code, reason) => {
      this.#requests.failAll((method) => new Error(`The signalling connection closed (${code} ${reason.toString()}) during ${method}`));
    });
  }

  on<M extends NotificationMethod>(method: M, handler: (data: NotificationData<M>) => void): void {
    (this.#handlers as Record<string, unknown>)[method] = handler;
  }

  request<M extends RequestMethod>(method: M, data: RequestData<M>): Promise<ResponseData<M>> {
    if (this.#socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error(`Not connected (${method})`));
    return this.#requests.request(method, data, (frame) => this.#socket.send(frame));
  }

  close(): void {
    this.#socket.close(1000);
  }
}
