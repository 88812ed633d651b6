import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { Limits, Notifications, Requests, ServerMessage, isNotificationMethod, isRequestMethod, type JoinedMeeting } from '@tertulia/protocol';
import type { RunningServer } from '@tertulia/server';
import { Bulk, MAX_TABS, Ref, mutate, scenario, type Pool, type RawFrame, type Step } from './protocol-arbitraries.js';
import { until } from './wait.js';
import { RawClient } from './ws-client.js';

/*
 * The protocol fuzzer's engine, shared by the bounded test (tests/server/protocol-fuzz.test.ts)
 * and `npm run fuzz`: plays generated scenarios against a running server over real
 * WebSockets and checks, after each, what must hold whatever a client sends:
 *  - every request got exactly one answer (or its socket closed), every refused frame
 *    without a usable id exactly one protocolError, and every message was protocol-valid;
 *  - sockets the server closed were closed with one of its own codes, never dropped;
 *  - no INTERNAL_ERROR answer and no 500 from the REST API;
 *  - the REST view of the scenario's rooms is possible: each participant once, the ones
 *    marked connected held by a live connection, none left over in a room nobody is in;
 *  - nobody heard of a participant of a meeting it was never in, and a sentinel in a room
 *    of its own hears nothing at all;
 *  - the server is healthy.
 * Each scenario uses rooms of its own and ends them afterwards, so a failing one replays alone;
 * connections left idle go back to their lane's pool for the next scenarios.
 */

/** Settings the server under fuzzing runs with: a short reconnect grace so sessions settle within a scenario, per-address limits out of the way. */
export const FUZZ_SERVER_ENV = {
  API_KEYS: 'fuzz-api-key-0123456789abcdef',
  RECONNECT_GRACE_SECONDS: '0.1',
  MAX_CONNECTIONS_PER_IP: '1000',
  CONNECTIONS_PER_IP_PER_MINUTE: '1000000',
  JOINS_PER_IP_PER_MINUTE: '1000000',
  NEW_ROOMS_PER_IP_PER_MINUTE: '1000000',
  MAX_ROOMS: '100000',
  CPU_LOAD_THRESHOLD: '100',
  // Pooled connections sit idle between scenarios.
  JOIN_TIMEOUT_SECONDS: '600',
} as const;
const API_KEY = FUZZ_SERVER_ENV.API_KEYS;

/** The WebSocket layer's frame limit (app.ts): past it the socket closes instead of a protocolError. */
const WS_MAX_PAYLOAD = Limits.maxMessageBytes * 16;
const BURST = Limits.messageBurst;
/** Close codes the server uses on purpose (connection.ts, the protocol's CloseCode); anything else is a crash or a bug. */
const SERVER_CLOSE_CODES = new Set([1008, 1009, 1012, 4001, 4002, 4008, 4029]);
/** How long an answer may take, and how long a state the server is still settling may take to settle. */
const ANSWER_MS = 10_000;
const SETTLE_MS = 3_000;
/** Each lane asks /about/health every this many scenarios (every scenario already proves the server answers). */
const HEALTH_EVERY = 20;

/** What one scenario learned from the server: ids and secrets later steps can use. */
class Knowledge {
  /** Known ids by pool, with the connection they belong to when that matters (media objects are scoped to their owner). */
  readonly pools = new Map<Pool, Array<{ value: string; owner?: object | undefined }>>();
  readonly sessions: Array<{ participantId: string; token: string }> = [];

  constructor(readonly rooms: readonly [string, string]) {}

  add(pool: Pool, value: unknown, owner?: object): void {
    if (typeof value !== 'string') return;
    const values = this.pools.get(pool) ?? [];
    if (!values.some((known) => known.value === value)) values.push({ value, owner });
    this.pools.set(pool, values);
  }

  /** The value `ref` picks; mostly one of `asker`'s own when the pool has some (a transport of its own, …), now and then anyone's. */
  resolve(ref: Ref, asker?: object): unknown {
    if (ref.pool === 'room') {
      const room = this.rooms[ref.pick % 2]!;
      return ref.pick % 5 === 4 ? room.toUpperCase() : room;
    }
    if (ref.pool === 'session') {
      const n = this.sessions.length;
      if (n === 0) return { participantId: 'deadbeef', token: 'not-a-session' };
      const session = this.sessions[ref.pick % n]!;
      // Every third pick resumes someone with another one's secret.
      return ref.pick % 3 === 2 && n > 1 ? { participantId: session.participantId, token: this.sessions[(ref.pick + 1) % n]!.token } : session;
    }
    const all = this.pools.get(ref.pool) ?? [];
    const own = all.filter((known) => known.owner !== undefined && known.owner === asker);
    const values = own.length > 0 && ref.pick % 4 !== 3 ? own : all;
    return values.length > 0 ? values[ref.pick % values.length]!.value : `${ref.pool.slice(0, 4)}${ref.pick}`;
  }

  /** `value` with its Refs replaced, as `asker` would fill them (a copy: generated values are reused when fast-check shrinks). */
  fill(value: unknown, asker?: object): unknown {
    if (value instanceof Ref) return this.fill(this.resolve(value, asker), asker);
    if (Array.isArray(value)) return value.map((item) => this.fill(item, asker));
    if (typeof value !== 'object' || value === null) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) Object.defineProperty(copy, key, { value: this.fill(item, asker), enumerable: true, writable: true, configurable: true });
    return copy;
  }
}

/** The participant → meeting map every lane shares: who belongs where, for the cross-meeting check. */
type MeetingMap = Map<string, string>;

const meetingKey = (name: string) => name.normalize('NFC').toLowerCase();

/** What the oracle expects for a frame: an answer to an id, a protocolError, or the socket closed for its size. */
type Expectation = { answer: number } | 'protocolError' | 'close';

/** What the server answers to `payload`; `id` when the sender knows the payload is a request with that id (no need to parse it again). */
function expectationFor(payload: string | Buffer, id?: number): Expectation {
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (size > WS_MAX_PAYLOAD) return 'close';
  if (size > Limits.maxMessageBytes || typeof payload !== 'string') return 'protocolError';
  if (id !== undefined) return { answer: id };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return 'protocolError';
  }
  const found = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
  return typeof found === 'number' && Number.isSafeInteger(found) && found >= 0 ? { answer: found } : 'protocolError';
}

type RosterChange = { id: string; present: boolean };

/** A request waiting for its answer; a join keeps the arrivals and departures heard meanwhile (see #rosterChange). */
interface Request {
  method: string;
  /** A join's room key. */
  room?: string;
  /** A join: requests sent before it (the server runs them first), and the roster changes heard since they were answered. */
  after?: number[];
  since?: RosterChange[];
}

/** One signalling connection of a tab, with everything the checks need to know about it. */
class Connection {
  readonly pending = new Map<number, Request>();
  readonly answered = new Set<number>();
  readonly meetings = new Set<string>();
  /** Participant ids this connection heard of, to check against the meetings it was in. */
  readonly heardOf = new Set<string>();
  expectedProtocolErrors = 0;
  protocolErrors = 0;
  closeCode: number | undefined;
  closedByUs = false;
  /** We sent a frame past the WebSocket's payload limit: the server drops the socket mid-frame, so the close can be abrupt (1006). */
  oversized = false;
  state: 'idle' | 'waiting' | 'joined' | 'gone' = 'idle';
  participantId: string | undefined;
  breakout: string | null = null;
  waitingFor: string | undefined;
  /** Who else is in its room, as a browser would know it: the meeting it got, then arrivals and departures since. */
  roster = new Set<string>();
  #nextId = 1;
  #changed: Array<() => void> = [];
  /** The server's token bucket for this connection, mirrored, to pick pooled connections that have room left. */
  #tokens: number = BURST;
  #refilled = performance.now();

  constructor(
    readonly client: RawClient,
    private scenario: Scenario,
  ) {
    client.socket.on('message', (raw) => this.#received(JSON.parse(raw.toString()) as unknown));
    client.socket.on('close', (code) => {
      this.closeCode = code;
      if (!this.closedByUs && !this.oversized && !SERVER_CLOSE_CODES.has(code)) this.scenario.problem(`the server closed a connection with code ${code}, not one of its own`);
      this.#notifyChange();
    });
  }

  /** Serves another scenario: an idle connection (not in a meeting, nothing pending) from the lane's pool. */
  adopt(scenario: Scenario): void {
    this.scenario = scenario;
    this.client.messages.length = 0;
    this.meetings.clear();
    this.heardOf.clear();
    this.roster.clear();
    this.expectedProtocolErrors = this.protocolErrors = 0;
  }

  /** Messages the server would take now without refusing them as too many. */
  tokens(): number {
    const now = performance.now();
    this.#tokens = Math.min(BURST, this.#tokens + ((now - this.#refilled) / 1000) * Limits.messagesPerSecond);
    this.#refilled = now;
    return this.#tokens;
  }

  get open(): boolean {
    return this.closeCode === undefined && this.client.socket.readyState === this.client.socket.OPEN;
  }

  /** Settled: nothing left to hear about (or nothing more can be heard). */
  get settled(): boolean {
    return !this.open || (this.pending.size === 0 && this.protocolErrors >= this.expectedProtocolErrors);
  }

  nextId(): number {
    return this.#nextId++;
  }

  /** Sends a request (data as is, even invalid); returns its id if an answer is to be expected. */
  request(method: string, data: unknown, room?: string): number | undefined {
    const id = this.nextId();
    return this.send(JSON.stringify({ type: 'request', id, method, data }), method, room, id);
  }

  /** Sends a payload and records what answer the oracle expects for it; `id` when it is a request of ours with that id. */
  send(payload: string | Buffer, method: string, room?: string, id?: number): number | undefined {
    if (!this.open) return undefined;
    const expectation = expectationFor(payload, id);
    if (expectation === 'close') this.oversized = true;
    if (expectation === 'protocolError') this.expectedProtocolErrors += 1;
    else if (expectation !== 'close') {
      const join = method === 'join' ? { after: [...this.pending.keys()], since: [] } : {};
      this.pending.set(expectation.answer, { method, ...(room !== undefined ? { room } : {}), ...join });
    }
    this.#tokens = this.tokens() - 1;
    this.client.socket.send(payload, { binary: typeof payload !== 'string' });
    return expectation === 'close' || expectation === 'protocolError' ? undefined : expectation.answer;
  }

  /** Resolves once `id` is answered or the socket is closed, or fails the scenario after ANSWER_MS. */
  async answer(id: number | undefined): Promise<void> {
    await this.until(() => id === undefined || !this.pending.has(id) || !this.open, `an answer to request ${id}`);
  }

  async until(done: () => boolean, what: string): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.scenario.problem(`no ${what} within ${ANSWER_MS} ms (pending: ${JSON.stringify([...this.pending])})`);
        resolve();
      }, ANSWER_MS);
      const check = () => {
        if (!done()) return this.#changed.push(check);
        clearTimeout(timer);
        resolve();
      };
      this.#changed.push(check);
    });
  }

  close(how: 1000 | 1001 | 'drop'): void {
    this.closedByUs = true;
    if (how === 'drop') this.client.socket.terminate();
    else this.client.socket.close(how);
  }

  #notifyChange(): void {
    const waiting = this.#changed;
    this.#changed = [];
    for (const check of waiting) check();
  }

  #received(message: unknown): void {
    const parsed = ServerMessage.safeParse(message);
    if (!parsed.success) this.scenario.problem(`not a protocol message: ${clip(message)}`);
    else if (parsed.data.type === 'response') this.#response(parsed.data, message);
    else this.#notification(parsed.data.method, parsed.data.data);
    this.#notifyChange();
  }

  #response(response: Extract<ServerMessage, { type: 'response' }>, raw: unknown): void {
    const request = this.pending.get(response.id);
    if (!request) {
      this.scenario.problem(`${this.answered.has(response.id) ? 'a second' : 'an unasked-for'} answer to request ${response.id}: ${clip(raw)}`);
      return;
    }
    this.pending.delete(response.id);
    this.answered.add(response.id);
    this.scenario.count(`${request.method} ${response.ok ? 'ok' : response.error.code}`);
    if (!response.ok) {
      if (response.error.code === 'INTERNAL_ERROR') this.scenario.problem(`INTERNAL_ERROR answering "${request.method}": ${response.error.message}`);
      return;
    }
    if (!isRequestMethod(request.method)) return this.scenario.problem(`an ok answer to an unknown method "${request.method}"`);
    const data = Requests[request.method].response.safeParse(response.data);
    if (!data.success) return this.scenario.problem(`"${request.method}" answered with data off its schema: ${clip(response.data)}`);
    this.#learnFromAnswer(request, data.data);
  }

  #learnFromAnswer(request: Request, data: any): void {
    const known = this.scenario.known;
    switch (request.method) {
      case 'join':
        if (data.status === 'joined') this.#entered(data.meeting, request.since);
        else {
          this.state = 'waiting';
          this.waitingFor = request.room;
        }
        break;
      case 'leave':
        this.state = 'idle';
        this.participantId = undefined;
        this.breakout = null;
        break;
      case 'createTransport':
        known.add('transport', data.id, this);
        break;
      case 'produce':
        known.add('producer', data.producerId, this);
        break;
      case 'createPoll':
        known.add('poll', data.poll.id);
        break;
      case 'createBreakoutRoom':
        known.add('breakout', data.room.id);
        break;
      case 'selfTest':
        for (const probe of data.probes) known.add('probe', probe.id, this);
        break;
    }
  }

  #entered(meeting: JoinedMeeting, since: RosterChange[] = []): void {
    this.roster = new Set(meeting.participants.map((p) => p.id));
    for (const change of since) this.#rosterChange(change);
    const known = this.scenario.known;
    const key = meetingKey(meeting.room.name);
    this.state = 'joined';
    this.waitingFor = undefined;
    this.participantId = meeting.self.id;
    this.breakout = meeting.room.breakout?.id ?? null;
    this.meetings.add(key);
    this.scenario.meetingOf.set(meeting.self.id, key);
    known.add('participant', meeting.self.id);
    if (!known.sessions.some((s) => s.participantId === meeting.self.id)) known.sessions.push({ participantId: meeting.self.id, token: meeting.sessionToken });
    this.scenario.sessionOf.set(this, { participantId: meeting.self.id, token: meeting.sessionToken, room: meeting.room.name });
    for (const p of meeting.participants) this.#heard(p.id);
    for (const room of meeting.breakoutRooms) known.add('breakout', room.id);
    for (const poll of meeting.polls) known.add('poll', poll.id);
    for (const knocker of meeting.knocking) known.add('knocker', knocker.id);
  }

  /**
   * Someone arrived or left. A join's answer can come after news of its room that is newer
   * than the meeting it carries, so `live` news also goes to the joins under way, but only
   * once the requests sent before them are answered: before that, news is of the room the
   * connection is leaving.
   */
  #rosterChange(change: RosterChange, live = false): void {
    if (change.present) this.roster.add(change.id);
    else this.roster.delete(change.id);
    if (!live) return;
    for (const request of this.pending.values()) {
      if (request.since && request.after!.every((id) => !this.pending.has(id))) request.since.push(change);
    }
  }

  #heard(participantId: string | null | undefined): void {
    if (!participantId) return;
    this.heardOf.add(participantId);
    this.scenario.known.add('participant', participantId);
  }

  #notification(method: string, data: any): void {
    if (!isNotificationMethod(method)) return this.scenario.problem(`an unknown notification "${method}"`);
    const parsed = Notifications[method].safeParse(data);
    if (!parsed.success) return this.scenario.problem(`notification "${method}" off its schema: ${clip(data)}`);
    const known = this.scenario.known;
    switch (method) {
      case 'protocolError':
        this.protocolErrors += 1;
        if (data.code === 'INTERNAL_ERROR') this.scenario.problem(`protocolError INTERNAL_ERROR: ${data.message}`);
        this.scenario.count(`protocolError ${data.code}`);
        break;
      case 'admitted':
      case 'moved':
        this.#entered(data.meeting);
        break;
      case 'lobbyDenied':
        this.state = 'idle';
        this.waitingFor = undefined;
        break;
      case 'removed':
        this.state = 'gone';
        break;
      case 'participantJoined':
        this.#rosterChange({ id: data.participant.id, present: true }, true);
        this.#heard(data.participant.id);
        break;
      case 'participantUpdated':
        this.#heard(data.participant.id);
        break;
      case 'participantLeft':
        this.#rosterChange({ id: data.participantId, present: false }, true);
        this.#heard(data.participantId);
        break;
      case 'reaction':
        this.#heard(data.participantId);
        break;
      case 'dominantSpeaker':
        this.#heard(data.participantId);
        break;
      case 'chatMessage':
        this.#heard(data.message.from);
        this.#heard(data.message.to);
        break;
      case 'newConsumer':
        known.add('consumer', data.consumerId, this);
        known.add('producer', data.producerId);
        this.#heard(data.participantId);
        break;
      case 'p2pStatus':
        this.#heard(data.peerId);
        break;
      case 'p2pSignal':
      case 'e2eeMessage':
        this.#heard(data.from);
        break;
      case 'pollUpdated':
        known.add('poll', data.poll.id);
        break;
      case 'breakoutRoomsUpdated':
        for (const room of data.rooms) {
          known.add('breakout', room.id);
          for (const p of room.participants) this.#heard(p.id);
        }
        break;
      case 'lobbyUpdated':
        for (const knocker of data.knocking) known.add('knocker', knocker.id);
        break;
    }
  }
}

/** A participant as the REST API lists it (main room), or as a breakout room's list has it. */
interface Listed {
  id: string;
  /** The meeting (main room's key). */
  room: string;
  role?: string;
  connected?: boolean;
  breakout: string | null;
}

interface RoomView {
  name: string;
  participants: Array<{ id: string; role: string; connected: boolean }>;
  breakoutRooms: Array<{ id: string; participants: Array<{ id: string }> }>;
}

/** What a run counts, for the summary: answers as "<method> <ok or error code>", protocolErrors, REST answers. */
export type Tally = Map<string, number>;

/** The tally summed by its last word (ok, an error code, an HTTP status). */
export function byOutcome(tally: Tally): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [key, n] of tally) {
    const outcome = key.slice(key.lastIndexOf(' ') + 1);
    sums.set(outcome, (sums.get(outcome) ?? 0) + n);
  }
  return sums;
}

/** One scenario played against the server: its tabs, what it learned, what went wrong. */
class Scenario {
  readonly known: Knowledge;
  readonly problems: string[] = [];
  readonly connections: Connection[] = [];
  readonly tabs: Array<Connection | undefined> = new Array(MAX_TABS).fill(undefined);
  readonly sessionOf = new Map<Connection, { participantId: string; token: string; room: string }>();
  readonly #rest: Array<Promise<void>> = [];
  /** A join was asked for or the REST API used: rooms may exist, to check and to end. */
  touchedRooms = false;
  /** Messages each tab is about to send, to pick a pooled connection with room for them. */
  #needs: number[] = [];

  constructor(
    private readonly lane: Lane,
    readonly rooms: readonly [string, string],
    readonly meetingOf: MeetingMap,
  ) {
    this.known = new Knowledge(rooms);
    const sentinel = lane.fuzzer.sentinel;
    this.known.add('participant', sentinel.id);
    this.known.sessions.push({ participantId: sentinel.id, token: sentinel.token });
  }

  problem(what: string): void {
    if (this.problems.length < 20) this.problems.push(what);
  }

  count(what: string): void {
    this.lane.fuzzer.tally.set(what, (this.lane.fuzzer.tally.get(what) ?? 0) + 1);
  }

  async play(steps: readonly Step[]): Promise<void> {
    this.#needs = Array.from({ length: MAX_TABS }, (_, tab) => steps.filter((step) => 'tab' in step && step.tab === tab).length + 3);
    for (const step of steps) {
      if ('pauseMs' in step) await new Promise((resolve) => setTimeout(resolve, step.pauseMs));
      else if ('rest' in step) this.#restCall(step);
      else if ('frame' in step) await this.#frame(step.tab, step.frame);
      else if ('close' in step) await this.#close(step.tab, step.close, step.reopen);
      else await this.#request(step);
      if (this.problems.length > 0) return;
    }
  }

  async #frame(tab: number, frame: RawFrame): Promise<void> {
    const connection = await this.#tab(tab);
    connection?.send(frameBytes(frame, connection), 'frame');
  }

  async #request(step: Extract<Step, { method: string }>): Promise<void> {
    const connection = await this.#tab(step.tab);
    if (!connection) return;
    let data = this.known.fill(step.data, connection);
    if (step.mutation) data = mutate(data, step.mutation);
    if (step.method === 'join') this.touchedRooms = true;
    const room = step.method === 'join' && typeof data === 'object' && data !== null ? (data as { room?: unknown }).room : undefined;
    const id = connection.request(step.method, data, typeof room === 'string' ? meetingKey(room) : undefined);
    if (step.wait) await connection.answer(id);
  }

  /** The tab's connection: the open one, or another (a tab whose connection closed opens another, as a browser would). */
  async #tab(tab: number): Promise<Connection | undefined> {
    const current = this.tabs[tab];
    if (current?.open) return current;
    const connection = await this.lane.connection(this, this.#needs[tab] ?? BURST);
    if (!connection) return undefined;
    this.connections.push(connection);
    this.tabs[tab] = connection;
    return connection;
  }

  /** The tab's connection closes; with `reopen`, a new one resumes the session it had, as a reloaded page does. */
  async #close(tab: number, how: 1000 | 1001 | 'drop', reopen: boolean): Promise<void> {
    const old = this.tabs[tab];
    if (!old?.open) return;
    old.close(how);
    this.tabs[tab] = undefined;
    const session = this.sessionOf.get(old);
    if (!reopen || !session) return;
    const fresh = await this.#tab(tab);
    if (!fresh) return;
    this.sessionOf.set(fresh, session);
    const data = { room: session.room, displayName: 'Reloaded', rejoin: { participantId: session.participantId, token: session.token } };
    await fresh.answer(fresh.request('join', data, meetingKey(session.room)));
  }

  #restCall(step: Extract<Step, { rest: string }>): void {
    this.touchedRooms = true;
    // Only the scenario's own rooms: a participant of another meeting (the sentinel) must be NOT_FOUND there.
    const room = `/${encodeURIComponent(String(this.known.resolve(step.room)))}`;
    const call: { path: string; body?: object } =
      step.rest === 'kick'
        ? { path: `${room}/participants/${encodeURIComponent(String(this.known.resolve(step.target)))}/kick` }
        : step.rest === 'mute-all'
          ? { path: `${room}/mute-all`, body: { kind: step.kind } }
          : { path: `${room}/end` };
    this.#rest.push(
      this.lane.fuzzer.ops('POST', `/api/v1/rooms${call.path}`, call.body).then(({ status, body }) => {
        this.count(`REST ${step.rest} ${status}`);
        if (![200, 400, 404].includes(status)) this.problem(`REST ${step.rest} answered ${status}: ${body}`);
      }),
    );
  }

  /**
   * Waits for every answer, then, in a meeting, makes sure every connection has heard
   * everything sent to it before (one no-op round trip each): what others' requests
   * caused can still be on its way when their answers are in.
   */
  async settle(): Promise<void> {
    await Promise.all(this.#rest);
    await Promise.all(this.connections.map((c) => c.until(() => c.settled, 'answer to every request')));
    if (!this.touchedRooms) return;
    await Promise.all(
      this.connections.map(async (c) => {
        if (!c.open) return;
        await c.answer(c.request('getSpeakerStats', {}));
      }),
    );
  }

  /** The checks that need the server's view; returns the scenario's rooms as the REST API shows them. */
  async check(checkHealth: boolean): Promise<RoomView[]> {
    for (const c of this.connections) {
      if (c.open && c.protocolErrors !== c.expectedProtocolErrors) this.problem(`${c.protocolErrors} protocolErrors for ${c.expectedProtocolErrors} refused frames`);
      for (const id of c.heardOf) {
        const meeting = this.meetingOf.get(id);
        if (meeting !== undefined && !c.meetings.has(meeting)) this.problem(`a connection of ${[...c.meetings].join(', ') || 'no meeting'} heard of ${id} from ${meeting}`);
      }
    }
    const fuzzer = this.lane.fuzzer;
    const heard = fuzzer.sentinel.client.messages;
    if (heard.length > 0) this.problem(`the sentinel, in a room of its own, heard ${clip(heard)}`);
    const [healthy, listed] = await Promise.all([checkHealth ? fuzzer.healthy() : undefined, this.touchedRooms ? fuzzer.roomsNamed(this.rooms) : []]);
    if (healthy) this.problem(healthy);
    let rooms = listed;
    if (this.#roomProblems(rooms, false).length > 0) {
      // Sockets we closed may not be closed on the server yet: give it a moment before calling it wrong.
      rooms = await until(() => fuzzer.roomsNamed(this.rooms), (now) => this.#roomProblems(now, false).length === 0, 'the REST view to settle', SETTLE_MS, 50).catch(() =>
        fuzzer.roomsNamed(this.rooms),
      );
      for (const problem of this.#roomProblems(rooms, true)) this.problem(problem);
    }
    return rooms;
  }

  /** What is impossible about the scenario's rooms as the REST API shows them. */
  #roomProblems(rooms: RoomView[], final: boolean): string[] {
    const problems: string[] = [];
    const listed = new Map<string, Listed[]>();
    const list = (entry: Listed) => listed.set(entry.id, [...(listed.get(entry.id) ?? []), entry]);
    for (const room of rooms) {
      const key = meetingKey(room.name);
      for (const p of room.participants) list({ id: p.id, room: key, role: p.role, connected: p.connected, breakout: null });
      for (const breakout of room.breakoutRooms) for (const p of breakout.participants) list({ id: p.id, room: key, breakout: breakout.id });
      const everyone = room.participants.length + room.breakoutRooms.reduce((n, b) => n + b.participants.length, 0);
      const waiting = this.connections.some((c) => c.open && c.state === 'waiting' && c.waitingFor === meetingKey(room.name));
      if (everyone === 0 && !waiting) problems.push(`room ${room.name} is open with nobody in it and nobody waiting`);
      if (room.participants.length > 0 && everyone === room.participants.length && !room.participants.some((p) => p.role === 'moderator')) {
        problems.push(`room ${room.name} has participants but no moderator: ${JSON.stringify(room.participants)}`);
      }
      for (const p of room.participants) if (!['moderator', 'participant', 'guest'].includes(p.role)) problems.push(`participant ${p.id} has role ${p.role}`);
    }
    for (const [id, entries] of listed) if (entries.length > 1) problems.push(`participant ${id} is listed ${entries.length} times: ${JSON.stringify(entries)}`);
    const holders = new Map(this.connections.filter((c) => c.open && c.state === 'joined' && c.participantId).map((c) => [c.participantId!, c]));
    for (const [id, c] of holders) {
      const entry = listed.get(id)?.[0];
      if (!entry) problems.push(`participant ${id}, joined on an open connection, is not listed`);
      else if (entry.breakout !== c.breakout) problems.push(`participant ${id} is listed in ${entry.breakout ?? 'the main room'} but was told ${c.breakout ?? 'the main room'}`);
      else if (entry.connected === false) problems.push(`participant ${id} is listed as disconnected while its connection is open`);
      else {
        const others = [...listed].filter(([other, [e]]) => other !== id && e?.room === entry.room && e.breakout === entry.breakout).map(([other]) => other);
        const missing = others.filter((other) => !c.roster.has(other));
        const extra = [...c.roster].filter((other) => !others.includes(other));
        if (missing.length + extra.length > 0) problems.push(`participant ${id} was not told of ${JSON.stringify(missing)} joining, or of ${JSON.stringify(extra)} leaving, its room`);
      }
    }
    for (const [id, [entry]] of listed) {
      if (entry?.connected && !holders.has(id)) problems.push(`participant ${id} is listed as connected but no open connection holds it${final ? ' (a ghost)' : ''}`);
    }
    return problems;
  }

  /**
   * Leaves the scenario's rooms and ends them (for whoever is still in them: sessions in
   * their grace, people waiting), so the next scenario starts from nothing; connections
   * that are idle again go back to the lane's pool.
   */
  async cleanup(rooms: RoomView[]): Promise<Connection[]> {
    const joined = this.connections.filter((c) => c.open && c.state === 'joined');
    await Promise.all(joined.map((c) => c.answer(c.request('leave', {}))));
    await Promise.all(rooms.map((room) => this.lane.fuzzer.ops('POST', `/api/v1/rooms/${encodeURIComponent(room.name)}/end`)));
    const idle = this.connections.filter((c) => c.open && c.state === 'idle' && c.settled && !c.closedByUs);
    for (const c of this.connections) if (c.open && !idle.includes(c)) c.close(1000);
    return idle;
  }
}

/** A frame's bytes; frames that carry an id take the connection's next one. */
function frameBytes(frame: RawFrame, connection: Connection): string | Buffer {
  if ('binary' in frame) return Buffer.from(frame.binary);
  if ('text' in frame) return frame.text;
  if ('envelope' in frame) {
    const envelope = Object.fromEntries(Object.entries(frame.envelope).map(([key, value]) => [key, Bulk.real(value)]));
    return JSON.stringify(frame.withId ? { ...envelope, id: connection.nextId() } : envelope);
  }
  if ('deep' in frame) {
    const nested = '['.repeat(frame.deep) + ']'.repeat(frame.deep);
    return frame.inside === 'top' ? nested : `{"type":"request","id":${connection.nextId()},"method":"join","data":${nested}}`;
  }
  const head = `{"type":"request","id":${connection.nextId()},"method":"sendChat","data":{"text":"`;
  return `${head}${'x'.repeat(Math.max(0, frame.padTo - head.length - 3))}"}}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function clip(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** A sequence of scenarios run one after the other, with rooms and source addresses of its own. */
class Lane {
  #scenarios = 0;
  /** The scenario under way: fast-check stops waiting for it at its time limit, but the run must not end before it does. */
  running: Promise<void> = Promise.resolve();

  constructor(
    readonly fuzzer: ProtocolFuzzer,
    readonly index: number,
  ) {}

  /** Idle connections kept for the next scenarios: connecting costs more than most scenarios' requests. */
  readonly #pool: Connection[] = [];
  #connected = 0;

  /** An idle connection that can send `need` messages before the server would refuse them as too many, or a new one. */
  async connection(scenario: Scenario, need: number): Promise<Connection | undefined> {
    const pooled = this.#pool.findIndex((c) => c.open && c.tokens() >= need);
    if (pooled >= 0) {
      const [connection] = this.#pool.splice(pooled, 1);
      connection!.adopt(scenario);
      return connection;
    }
    // Spread over loopback addresses (127.<lane>.x.y), as many clients would be.
    const i = this.#connected++ % 4000;
    const address = `127.${this.index + 1}.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    try {
      return new Connection(await RawClient.connect(this.fuzzer.server.url, address), scenario);
    } catch (error) {
      scenario.problem(`could not connect from ${address}: ${String(error)}`);
      return undefined;
    }
  }

  close(): void {
    for (const connection of this.#pool.splice(0)) connection.close(1000);
  }

  play(steps: readonly Step[]): Promise<void> {
    this.running = this.#play(steps);
    return this.running;
  }

  async #play(steps: readonly Step[]): Promise<void> {
    const n = ++this.#scenarios;
    const tag = `${this.fuzzer.tag}-${this.index}-${n}`;
    const run = new Scenario(this, [`${tag}-a`, `${tag}-b`], this.fuzzer.meetingOf);
    let rooms: RoomView[] = [];
    try {
      await run.play(steps);
      await run.settle();
      rooms = await run.check(n % HEALTH_EVERY === 1);
    } finally {
      this.#pool.push(...(await run.cleanup(rooms)));
      this.fuzzer.cases += 1;
    }
    if (run.problems.length > 0) throw new Error(run.problems.join('\n'));
  }
}

export interface FuzzOptions {
  /** Scenarios to run in all (spread over the lanes); Infinity to run until `timeLimitMs`. */
  cases: number;
  /** Scenarios running at once, each with its own connections. */
  lanes: number;
  seed: number;
  timeLimitMs: number;
  /** With `seed`, replays one counterexample (fast-check's path) on one lane. */
  path?: string | undefined;
}

export interface FuzzResult {
  cases: number;
  /** fast-check's report for each failed lane (seed, path, counterexample, the problems). */
  failures: string[];
  /** Seeds used, one per lane. */
  seeds: number[];
  /** Answers by code (ok, INVALID_REQUEST, …), protocolErrors and REST statuses. */
  tally: Tally;
  /** Problems of the server's state after the whole run (a sentinel that heard something, rooms left over). */
  leftovers: string[];
}

/**
 * Runs generated scenarios against `server` (started with FUZZ_SERVER_ENV) from several
 * lanes at once, each a fast-check property with its own seed (`seed + lane`).
 */
export class ProtocolFuzzer {
  readonly tag = `fz${Math.random().toString(36).slice(2, 7)}`;
  readonly meetingOf: MeetingMap = new Map();
  readonly tally: Tally = new Map();
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 32 });
  cases = 0;
  sentinel!: { id: string; token: string; room: string; client: RawClient };

  constructor(readonly server: RunningServer) {}

  /** A call to the ops listener (REST API with the API key, health, stats) over kept-alive connections. */
  ops(method: 'GET' | 'POST', path: string, body?: object): Promise<{ status: number; body: string }> {
    const json = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const call = request(
        `${this.server.opsUrl}${path}`,
        { method, agent: this.#agent, headers: { authorization: `Bearer ${API_KEY}`, ...(json ? { 'content-type': 'application/json' } : {}) } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, body: text }));
          response.on('error', reject);
        },
      );
      call.on('error', reject);
      call.end(json);
    });
  }

  async listRooms(): Promise<RoomView[]> {
    return (JSON.parse((await this.ops('GET', '/api/v1/rooms')).body) as { rooms: RoomView[] }).rooms;
  }

  /** The rooms of these names that are open, as the REST API shows them. */
  async roomsNamed(names: readonly string[]): Promise<RoomView[]> {
    const rooms = await Promise.all(
      names.map(async (name) => {
        const { status, body } = await this.ops('GET', `/api/v1/rooms/${name}`);
        if (status === 404) return undefined;
        if (status !== 200) throw new Error(`GET /api/v1/rooms/${name} answered ${status}: ${body}`);
        return JSON.parse(body) as RoomView;
      }),
    );
    return rooms.filter((room) => room !== undefined);
  }

  /** Undefined when /about/health says healthy, else what it says. */
  async healthy(): Promise<string | undefined> {
    const { status, body } = await this.ops('GET', '/about/health');
    return status === 200 ? undefined : `health answered ${status}: ${body}`;
  }

  async run(options: FuzzOptions): Promise<FuzzResult> {
    await this.#placeSentinel();
    const replay = options.path !== undefined;
    const lanes = Array.from({ length: replay ? 1 : options.lanes }, (_, i) => new Lane(this, i));
    const seeds = lanes.map((_, i) => (options.seed + i) | 0);
    const perLane = replay ? 1 : Math.ceil(options.cases / lanes.length);
    const details = await Promise.all(
      lanes.map((lane, i) =>
        fc.check(fc.asyncProperty(scenario, (steps) => lane.play(steps)), {
          numRuns: Number.isFinite(perLane) ? perLane : Number.MAX_SAFE_INTEGER,
          seed: seeds[i]!,
          ...(replay ? { path: options.path } : {}),
          interruptAfterTimeLimit: options.timeLimitMs,
          markInterruptAsFailure: false,
        }),
      ),
    );
    await Promise.allSettled(lanes.map((lane) => lane.running));
    for (const lane of lanes) lane.close();
    const failures = details
      .map((d, i) => ({ d, seed: seeds[i]! }))
      .filter(({ d }) => d.failed)
      .map(({ d, seed }) => `${fc.defaultReportMessage(d) ?? 'failed'}\n${errorText(d.errorInstance)}\nreplay: FUZZ_SEED=${seed} FUZZ_PATH=${d.counterexamplePath ?? ''} npm run fuzz`);
    return { cases: this.cases, failures, seeds, tally: this.tally, leftovers: await this.#leftovers() };
  }

  /** A participant in a room of its own, which must hear nothing of the fuzzing. */
  async #placeSentinel(): Promise<void> {
    const room = `${this.tag}-sentinel`;
    const client = await RawClient.connect(this.server.url, '127.0.0.254');
    const reply = await client.request('join', { room, displayName: 'Sentinel' });
    if (!reply.ok) throw new Error(`the sentinel could not join: ${JSON.stringify(reply.error)}`);
    this.sentinel = { id: reply.data.meeting.self.id, token: reply.data.meeting.sessionToken, room, client };
    this.meetingOf.set(this.sentinel.id, meetingKey(room));
    client.messages.length = 0;
  }

  /** After the run: only the sentinel's room is left, the sentinel in it and connected, and it heard nothing. */
  async #leftovers(): Promise<string[]> {
    const problems: string[] = [];
    const { client, id, room } = this.sentinel;
    if (client.messages.length > 0) problems.push(`the sentinel heard ${client.messages.length} messages, first ${clip(client.messages[0])}`);
    const settled = (rooms: RoomView[]) => rooms.length === 1 && rooms[0]!.participants.length === 1;
    const rooms = await until(() => this.listRooms(), settled, 'the fuzzed rooms to close', 10_000, 200).catch(() => this.listRooms());
    if (!settled(rooms)) problems.push(`rooms left after the run: ${clip(rooms)}`);
    const sentinel = rooms.find((r) => meetingKey(r.name) === meetingKey(room))?.participants[0];
    if (sentinel?.id !== id || !sentinel.connected) problems.push(`the sentinel is no longer in its room: ${clip(rooms)}`);
    const healthy = await this.healthy();
    if (healthy) problems.push(healthy);
    const stats = JSON.parse((await this.ops('GET', '/colibri/stats')).body) as { conferences: number; participants: number; healthy: boolean };
    if (stats.conferences !== 1 || stats.participants !== 1 || !stats.healthy) problems.push(`stats after the run: ${clip(stats)}`);
    client.close();
    this.#agent.destroy();
    return problems;
  }
}
