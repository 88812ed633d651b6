import {
  Notifications,
  Requests,
  ServerMessage,
  isNotificationMethod,
  type ErrorBody,
  type NotificationData,
  type NotificationMethod,
  type RequestData,
  type RequestMethod,
  type ResponseData,
} from './messages.js';

/** How long a request waits for its answer. */
export const REQUEST_TIMEOUT_MS = 15_000;

export type NotificationHandlers = { [M in NotificationMethod]?: (data: NotificationData<M>) => void };

/** The errors a client's requests reject with; each client words them for its own users. */
export interface RequestErrors {
  timeout(method: RequestMethod): Error;
  refused(method: RequestMethod, error: ErrorBody): Error;
  malformed(method: RequestMethod): Error;
}

interface Pending {
  method: RequestMethod;
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The client end of the signalling protocol, whatever the socket: numbered requests
 * that resolve with validated answers (or reject, also after a time limit), and server
 * frames that either settle a request or reach a notification handler, validated.
 * The browser and the load tool each wrap one around their own WebSocket.
 */
export class ClientRequests {
  readonly #errors: RequestErrors;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(errors: RequestErrors) {
    this.#errors = errors;
  }

  /** Sends a request frame through `send`; resolves with the server's validated answer. */
  request<M extends RequestMethod>(method: M, data: RequestData<M>, send: (frame: string) => void): Promise<ResponseData<M>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(this.#errors.timeout(method));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { method, resolve: resolve as (data: unknown) => void, reject, timer });
      send(JSON.stringify({ type: 'request', id, method, data }));
    });
  }

  /**
   * Takes one frame from the server: settles the request it answers, or hands its
   * notification to `handlers`. Returns why the frame was ignored, if it was.
   */
  receive(raw: string, handlers: NotificationHandlers): string | undefined {
    let message: ServerMessage;
    try {
      message = ServerMessage.parse(JSON.parse(raw));
    } catch {
      return 'ignored a malformed message from the server';
    }
    if (message.type === 'notification') {
      if (!isNotificationMethod(message.method)) return undefined; // a newer server's: nothing to do with it
      const parsed = Notifications[message.method].safeParse(message.data);
      if (!parsed.success) return `ignored an invalid "${message.method}" notification`;
      (handlers[message.method] as ((data: unknown) => void) | undefined)?.(parsed.data);
      return undefined;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return undefined;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (!message.ok) {
      pending.reject(this.#errors.refused(pending.method, message.error));
      return undefined;
    }
    const parsed = Requests[pending.method].response.safeParse(message.data);
    if (parsed.success) pending.resolve(parsed.data);
    else pending.reject(this.#errors.malformed(pending.method));
    return undefined;
  }

  /** The socket closed: every request still waiting fails with `error`. */
  failAll(error: (method: RequestMethod) => Error): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error(pending.method));
    }
    this.#pending.clear();
  }
}
