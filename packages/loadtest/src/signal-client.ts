import {
  Notifications,
  Requests,
  ServerMessage,
  isNotificationMethod,
  type NotificationData,
  type NotificationMethod,
  type RequestData,
  type RequestMethod,
  type ResponseData,
} from '@tertulia/protocol';
import WebSocket from 'ws';

const REQUEST_TIMEOUT_MS = 15_000;

type NotificationHandlers = { [M in NotificationMethod]?: (data: NotificationData<M>) => void };

interface Pending {
  method: RequestMethod;
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Tertulia's signalling WebSocket as a synthetic participant uses it: typed requests and notifications, validated like the browser's. */
export class SignalClient {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, Pending>();
  readonly #handlers: NotificationHandlers = {};
  #nextId = 1;

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
    socket.on('message', (raw) => this.#receive(raw.toString()));
    socket.on('error', () => undefined); // 'close' follows and fails what is pending
    socket.on('close', (code, reason) => {
      for (const pending of this.#pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`The signalling connection closed (${code} ${reason.toString()}) during ${pending.method}`));
      }
      this.#pending.clear();
    });
  }

  on<M extends NotificationMethod>(method: M, handler: (data: NotificationData<M>) => void): void {
    (this.#handlers as Record<string, unknown>)[method] = handler;
  }

  request<M extends RequestMethod>(method: M, data: RequestData<M>): Promise<ResponseData<M>> {
    if (this.#socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error(`Not connected (${method})`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`No answer to ${method} within ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { method, resolve: resolve as (data: unknown) => void, reject, timer });
      this.#socket.send(JSON.stringify({ type: 'request', id, method, data }));
    });
  }

  close(): void {
    this.#socket.close(1000);
  }

  #receive(raw: string): void {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return; // not a protocol message: nothing to answer
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'notification') {
      if (!isNotificationMethod(message.method)) return;
      const data = Notifications[message.method].safeParse(message.data);
      const handler = this.#handlers[message.method] as ((data: unknown) => void) | undefined;
      if (data.success) handler?.(data.data);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (!message.ok) {
      pending.reject(new Error(`${pending.method} refused: ${message.error.code} ${message.error.message}`));
      return;
    }
    const response = Requests[pending.method].response.safeParse(message.data);
    if (response.success) pending.resolve(response.data);
    else pending.reject(new Error(`Malformed answer to ${pending.method}`));
  }
}
