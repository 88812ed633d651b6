/**
 * A small client for Janus's WebSocket API (subprotocol 'janus-protocol'): one
 * session per connection, plugin handles, transactions with timeouts, keepalives
 * and the events Janus pushes. Plugin-specific requests live in janus-videoroom.ts.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

export interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
}

/** What a plugin answered or pushed: its `plugindata.data`, and an SDP when it negotiates. */
export interface PluginMessage {
  data: Record<string, unknown>;
  jsep?: Jsep;
}

/** An error Janus or one of its plugins answered with. */
export class JanusError extends Error {
  constructor(
    readonly code: number,
    reason: string,
  ) {
    super(`janus error ${code}: ${reason}`);
    this.name = 'JanusError';
  }
}

interface JanusReply {
  janus: string;
  transaction?: string;
  session_id?: number;
  sender?: number;
  data?: { id?: number };
  error?: { code: number; reason: string };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: Jsep;
}

interface Pending {
  resolve(reply: JanusReply): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  /** keepalive and trickle are done at Janus's 'ack'; an asynchronous plugin message only at its 'event'. */
  ackIsFinal: boolean;
}

/** Janus forgets a session after 60 s without requests (its default session_timeout). */
const KEEPALIVE_MS = 25_000;
const DEFAULT_TIMEOUT_MS = 15_000;

export class JanusSession {
  private readonly pending = new Map<string, Pending>();
  private readonly handles = new Map<number, JanusHandle>();
  private readonly keepalive: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly socket: WebSocket,
    readonly id: number,
    private readonly timeoutMs: number,
  ) {
    this.keepalive = setInterval(() => void this.send({ janus: 'keepalive' }, true).catch(() => undefined), KEEPALIVE_MS);
    this.keepalive.unref();
  }

  /** Connects to ws://host:port and creates a Janus session on it. */
  static async connect(url: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<JanusSession> {
    const socket = new WebSocket(url, 'janus-protocol');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', (error) => reject(new Error(`cannot reach Janus at ${url} (${error.message}); is it running?`)));
    });
    // The session does not exist yet, so 'create' is sent before the session object takes over the socket.
    const created = await new Promise<JanusReply>((resolve, reject) => {
      const transaction = randomUUID();
      const timer = setTimeout(() => reject(new Error(`Janus at ${url} did not answer 'create' within ${timeoutMs} ms`)), timeoutMs);
      socket.on('message', function onCreate(raw) {
        const reply = JSON.parse(raw.toString()) as JanusReply;
        if (reply.transaction !== transaction) return;
        clearTimeout(timer);
        socket.off('message', onCreate);
        if (reply.janus === 'success' && reply.data?.id !== undefined) resolve(reply);
        else reject(new JanusError(reply.error?.code ?? 0, reply.error?.reason ?? `unexpected '${reply.janus}'`));
      });
      socket.send(JSON.stringify({ janus: 'create', transaction }));
    }).catch((error: unknown) => {
      socket.close();
      throw error;
    });
    const session = new JanusSession(socket, created.data!.id!, timeoutMs);
    socket.on('message', (raw) => session.onMessage(JSON.parse(raw.toString()) as JanusReply));
    socket.on('close', () => session.onClosed());
    socket.on('error', () => socket.close());
    return session;
  }

  async attach(plugin: string): Promise<JanusHandle> {
    const reply = await this.send({ janus: 'attach', plugin });
    const handle = new JanusHandle(this, reply.data!.id!);
    this.handles.set(handle.id, handle);
    return handle;
  }

  /** Destroys the session (and with it every handle) and closes the connection; idempotent. */
  async destroy(): Promise<void> {
    if (this.closed) return;
    await this.send({ janus: 'destroy' }).catch(() => undefined);
    this.socket.close();
    this.onClosed();
  }

  /** @internal sends one request and resolves with Janus's final reply to it. */
  send(request: Record<string, unknown>, ackIsFinal = false, timeoutMs = this.timeoutMs): Promise<JanusReply> {
    if (this.closed) return Promise.reject(new Error('Janus session is closed'));
    const transaction = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        reject(new Error(`Janus did not answer '${String(request.janus)}' within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(transaction, { resolve, reject, timer, ackIsFinal });
      this.socket.send(JSON.stringify({ ...request, transaction, session_id: this.id }));
    });
  }

  /** @internal */
  forget(handle: JanusHandle): void {
    this.handles.delete(handle.id);
  }

  private onMessage(reply: JanusReply): void {
    const pending = reply.transaction === undefined ? undefined : this.pending.get(reply.transaction);
    if (pending && (reply.janus !== 'ack' || pending.ackIsFinal)) {
      this.pending.delete(reply.transaction!);
      clearTimeout(pending.timer);
      const error = replyError(reply);
      if (error) pending.reject(error);
      else pending.resolve(reply);
      return;
    }
    if (pending || reply.sender === undefined) return;
    this.handles.get(reply.sender)?.dispatch(reply);
  }

  private onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepalive);
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error('connection to Janus closed'));
    }
    this.pending.clear();
    for (const handle of this.handles.values()) handle.dispatch({ janus: 'detached' });
    this.handles.clear();
  }
}

/** Janus's own error, or a plugin's (`error_code` / `error` in its data). */
function replyError(reply: JanusReply): JanusError | undefined {
  if (reply.janus === 'error') return new JanusError(reply.error?.code ?? 0, reply.error?.reason ?? 'unknown');
  const data = reply.plugindata?.data;
  if (data && typeof data.error_code === 'number') return new JanusError(data.error_code, String(data.error));
  return undefined;
}

export type HandleEvent =
  | { type: 'message'; message: PluginMessage }
  | { type: 'webrtcup' }
  /** The PeerConnection went down (Janus's 'hangup') or the handle is gone ('detached', or the connection closed). */
  | { type: 'hangup' | 'detached'; reason?: string };

/** One attached plugin handle: one PeerConnection on Janus's side. */
export class JanusHandle {
  private readonly listeners = new Set<(event: HandleEvent) => void>();

  constructor(
    private readonly session: JanusSession,
    readonly id: number,
  ) {}

  /**
   * Sends a plugin request and resolves with the plugin's answer: the immediate one
   * of a synchronous request, or the event that ends an asynchronous one.
   */
  async message(body: Record<string, unknown>, jsep?: Jsep, timeoutMs?: number): Promise<PluginMessage> {
    const reply = await this.session.send({ janus: 'message', handle_id: this.id, body, ...(jsep && { jsep }) }, false, timeoutMs);
    return { data: reply.plugindata?.data ?? {}, ...(reply.jsep && { jsep: reply.jsep }) };
  }

  /** Tells Janus that all our candidates are in the SDP already (we do not trickle). */
  async endOfCandidates(): Promise<void> {
    await this.session.send({ janus: 'trickle', handle_id: this.id, candidate: { completed: true } }, true);
  }

  /** Plugin events that answer no request of ours, and the handle's WebRTC state; returns an unsubscribe function. */
  onEvent(listener: (event: HandleEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async detach(): Promise<void> {
    await this.session.send({ janus: 'detach', handle_id: this.id }).catch(() => undefined);
    this.session.forget(this);
  }

  /** @internal */
  dispatch(reply: JanusReply): void {
    const event = toHandleEvent(reply);
    if (event) for (const listener of this.listeners) listener(event);
  }
}

function toHandleEvent(reply: JanusReply & { reason?: string }): HandleEvent | undefined {
  switch (reply.janus) {
    case 'event':
      return { type: 'message', message: { data: reply.plugindata?.data ?? {}, ...(reply.jsep && { jsep: reply.jsep }) } };
    case 'webrtcup':
      return { type: 'webrtcup' };
    case 'hangup':
    case 'detached':
      return { type: reply.janus, ...(reply.reason !== undefined && { reason: reply.reason }) };
    default:
      // 'media', 'slowlink', 'timeout': nothing a synthetic participant acts on
      return undefined;
  }
}
