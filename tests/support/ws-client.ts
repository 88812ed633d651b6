import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';

type Message = { type: string; id?: number; ok?: boolean; method?: string; data?: any; error?: { code: string; message: string } };

/** A raw protocol client for tests: sends anything, including what a browser never would. */
export class RawClient {
  readonly messages: Message[] = [];
  #nextId = 1;
  #waiters: Array<{ match: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  /** The close code and reason once the socket has closed (the server may close it right after opening). */
  readonly closed: Promise<{ code: number; reason: string }>;

  /**
   * `localAddress` picks another loopback address (127.0.0.2, …) to appear as a different client;
   * `options` adds headers, a CA for https:// URLs, ….
   */
  static async connect(httpUrl: string, localAddress?: string, options: WebSocket.ClientOptions = {}): Promise<RawClient> {
    const socket = new WebSocket(`${httpUrl.replace('http', 'ws')}/ws`, localAddress ? { ...options, localAddress } : options);
    await once(socket, 'open');
    return new RawClient(socket);
  }

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as Message;
      this.messages.push(message);
      this.#waiters = this.#waiters.filter((w) => (w.match(message) ? (w.resolve(message), false) : true));
    });
  }

  /** Sends a request and waits for its response (a recorder's first start on a loaded machine needs more than the default). */
  async request(method: string, data: unknown = {}, timeoutMs?: number): Promise<Message> {
    const id = this.#nextId++;
    const reply = this.waitFor((m) => m.type === 'response' && m.id === id, timeoutMs);
    this.socket.send(JSON.stringify({ type: 'request', id, method, data }));
    return reply;
  }

  sendRaw(payload: string | Buffer): void {
    this.socket.send(payload);
  }

  waitFor(match: (m: Message) => boolean, timeoutMs = 5000): Promise<Message> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a message')), timeoutMs);
      this.#waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  nextProtocolError(): Promise<Message> {
    const count = this.messages.filter((m) => m.method === 'protocolError').length;
    let seen = 0;
    return this.waitFor((m) => m.method === 'protocolError' && ++seen > count);
  }

  close(): void {
    this.socket.close();
  }
}

/** RTP parameters of a microphone a raw client can `produce` (no real audio flows). */
export const OPUS = { codecs: [{ mimeType: 'audio/opus', clockRate: 48000, payloadType: 100, channels: 2 }], encodings: [{ ssrc: 2222 }] };

/** A participant joined over a raw socket, with the join answer's meeting. */
export interface JoinedClient {
  client: RawClient;
  id: string;
  role: string;
  meeting: any;
}

/**
 * Connects and joins `room`, failing the test unless the server lets them straight in
 * (the first one in a room moderates). `localAddress` as for `RawClient.connect`.
 */
export async function joinAs(httpUrl: string, room: string, displayName: string, extra: object = {}, localAddress?: string): Promise<JoinedClient> {
  const client = await RawClient.connect(httpUrl, localAddress);
  const reply = await client.request('join', { room, displayName, ...extra });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  assert.equal(reply.data.status, 'joined');
  const meeting = reply.data.meeting;
  return { client, id: meeting.self.id, role: meeting.self.role, meeting };
}
