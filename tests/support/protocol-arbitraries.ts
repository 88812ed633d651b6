import fc from 'fast-check';
import { Requests, type RequestMethod } from '@tertulia/protocol';
import type { z } from 'zod';
import { OPUS } from './ws-client.js';

/*
 * fast-check generators for the signalling protocol, derived from its zod schemas:
 * well-typed requests for every method, near-misses of them, raw frames no browser
 * would send, and scenarios (several tabs of one or two meetings acting at once).
 * Ids that only exist at run time (a participant's, a transport's, a session secret)
 * are generated as Refs and resolved against what the scenario has learned so far.
 */

/** What a Ref points into: the ids and secrets a scenario learns from the server's answers. */
export type Pool = 'participant' | 'session' | 'transport' | 'producer' | 'consumer' | 'breakout' | 'poll' | 'knocker' | 'probe' | 'room';

/** A value chosen when the request is sent: the `pick`-th known entry of `pool` (cycling), or a made-up one when none is known. */
export class Ref {
  constructor(
    readonly pool: Pool,
    readonly pick: number,
  ) {}

  toString(): string {
    return `Ref(${this.pool}#${this.pick})`;
  }
}

const ref = (pool: Pool) => fc.nat(1000).map((pick) => new Ref(pool, pick));

/** Media parameters that mediasoup accepts, so some produce/connect/consume paths run all the way. */
const VP8 = { codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }], encodings: [{ ssrc: 1111 }] };
const VP8_SIMULCAST = {
  codecs: VP8.codecs,
  encodings: [
    { ssrc: 3331, scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
    { ssrc: 3332, scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
    { ssrc: 3333, scaleResolutionDownBy: 1, maxBitrate: 1_500_000, scalabilityMode: 'L1T3' },
  ],
};
const RTP_CAPABILITIES = {
  codecs: [
    { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
    { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 101 },
  ],
  headerExtensions: [],
};
const DTLS = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') }] };

/** Passwords a room may get and joiners may try, so right and wrong ones both occur. */
const PASSWORDS = ['secret-1', 'secret-2'];

/**
 * Fields whose useful values come from elsewhere than their schema: ids known at run
 * time, working media parameters, rooms of the scenario. The schema-derived value stays
 * one of the choices, so wrong-but-well-typed values keep coming too.
 */
function overrideFor(key: string, derived: () => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> | undefined {
  switch (key) {
    case 'participantId':
    case 'to':
      return fc.oneof({ weight: 4, arbitrary: ref('participant') }, derived());
    case 'knockerId':
      return fc.oneof({ weight: 4, arbitrary: ref('knocker') }, ref('participant'), derived());
    case 'transportId':
      return fc.oneof({ weight: 4, arbitrary: ref('transport') }, derived());
    case 'producerId':
      return fc.oneof({ weight: 4, arbitrary: ref('producer') }, derived());
    case 'consumerId':
      return fc.oneof({ weight: 4, arbitrary: ref('consumer') }, derived());
    case 'onStage':
      // Receiver constraints pin people of the meeting mostly, so the last-N ranking sees them.
      return fc.oneof({ weight: 3, arbitrary: fc.array(ref('participant'), { maxLength: 3 }) }, derived());
    case 'roomId':
      return fc.oneof({ weight: 4, arbitrary: ref('breakout') }, derived());
    case 'pollId':
      return fc.oneof({ weight: 4, arbitrary: ref('poll') }, derived());
    case 'probeId':
      return fc.oneof({ weight: 4, arbitrary: ref('probe') }, derived());
    case 'room':
      // Other names are all invalid ("/" is never allowed): a valid one would open a room outside the scenario's, which it neither checks nor ends.
      return fc.oneof(
        { weight: 8, arbitrary: ref('room') },
        fc.constantFrom('', 'has space', '../x', 'metrics', 'x'.repeat(65)),
        derived().map((name) => `${String(name)}/`),
      );
    case 'rejoin':
      return fc.oneof({ weight: 3, arbitrary: ref('session') }, derived());
    case 'password':
      return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PASSWORDS) }, derived());
    case 'rtpParameters':
      return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(OPUS, VP8) }, derived());
    case 'rtpCapabilities':
      return fc.oneof({ weight: 3, arbitrary: fc.constant(RTP_CAPABILITIES) }, derived());
    case 'dtlsParameters':
      return fc.oneof({ weight: 3, arbitrary: fc.constant(DTLS) }, derived());
    default:
      return undefined;
  }
}

type Def = { type: string; [field: string]: unknown };
type Check = { check: string; minimum?: number; maximum?: number; value?: number; inclusive?: boolean; format?: string };

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def): Check[] => ((def['checks'] as Array<{ _zod: { def: Check } }> | undefined) ?? []).map((c) => c._zod.def);

/** Short values mostly, the longest allowed now and then: limits are where bugs live. */
function lengthBounds(def: Def, typical: number): { min: number; max: number } {
  const checks = checksOf(def);
  const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
  const max = checks.find((c) => c.check === 'max_length')?.maximum ?? Math.max(min, typical);
  return { min, max };
}

function stringFor(def: Def): fc.Arbitrary<string> {
  const { min, max } = lengthBounds(def, 64);
  const short = Math.min(max, Math.max(min, 12));
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ minLength: min, maxLength: short }) },
    { weight: 2, arbitrary: fc.string({ minLength: min, maxLength: short, unit: 'binary' }) },
    // The longest allowed, built from a short piece: generating thousands of characters one by one is slow.
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 3, unit: 'grapheme-ascii' }).map((piece) => piece.repeat(Math.ceil(max / piece.length)).slice(0, max)) },
  );
}

function numberFor(def: Def): fc.Arbitrary<number> {
  const checks = checksOf(def);
  const lower = checks.find((c) => c.check === 'greater_than');
  const upper = checks.find((c) => c.check === 'less_than');
  if (checks.some((c) => c.format === 'safeint')) {
    const min = lower ? lower.value! + (lower.inclusive ? 0 : 1) : Number.MIN_SAFE_INTEGER;
    const max = upper ? upper.value! - (upper.inclusive ? 0 : 1) : Number.MAX_SAFE_INTEGER;
    return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 100_000) }) }, fc.integer({ min, max }));
  }
  return fc.double({ min: lower?.value ?? -1e9, max: upper?.value ?? 1e12, noNaN: true, noDefaultInfinity: true });
}

/**
 * A value of `schema`'s shape for the schema kinds the protocol uses. `key` is the
 * field it fills, for the overrides above. Unknown kinds give any JSON.
 */
export function arbitraryFor(schema: z.ZodType, key = ''): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const derived = (): fc.Arbitrary<unknown> => {
    switch (def.type) {
      case 'string':
        return stringFor(def);
      case 'number':
        return numberFor(def);
      case 'boolean':
        return fc.boolean();
      case 'literal':
        return fc.constantFrom(...(def['values'] as unknown[]));
      case 'enum':
        return fc.constantFrom(...Object.values(def['entries'] as Record<string, unknown>));
      case 'optional':
      case 'nullable':
        return fc.oneof({ weight: 3, arbitrary: arbitraryFor(def['innerType'] as z.ZodType, key) }, fc.constant(def.type === 'nullable' ? null : undefined));
      case 'lazy':
        return arbitraryFor((def['getter'] as () => z.ZodType)(), key);
      case 'union':
        return fc.oneof(...(def['options'] as z.ZodType[]).map((option) => arbitraryFor(option, key)));
      case 'array': {
        const { min, max } = lengthBounds(def, 4);
        return fc.array(arbitraryFor(def['element'] as z.ZodType), { minLength: min, maxLength: Math.min(max, Math.max(min, 4)) });
      }
      case 'record':
        return fc.dictionary(fc.string({ maxLength: 8 }), arbitraryFor(def['valueType'] as z.ZodType), { maxKeys: 4 });
      case 'object':
        return objectFor(def);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  };
  return overrideFor(key, derived) ?? derived();
}

function objectFor(def: Def): fc.Arbitrary<Record<string, unknown>> {
  const shape = def['shape'] as Record<string, z.ZodType>;
  const fields = Object.fromEntries(Object.entries(shape).map(([field, schema]) => [field, arbitraryFor(schema, field)]));
  const requiredKeys = Object.keys(shape).filter((field) => defOf(shape[field]!).type !== 'optional');
  return fc.record(fields, { requiredKeys });
}

export const METHODS = Object.keys(Requests) as RequestMethod[];

/** Per method, its request data: well typed, with Refs where ids go. */
const requestData: Record<RequestMethod, fc.Arbitrary<unknown>> = Object.fromEntries(
  METHODS.map((method) => [method, arbitraryFor(Requests[method].request)]),
) as Record<RequestMethod, fc.Arbitrary<unknown>>;

// A track whose kind, source and codec agree, so producing gets past the checks to mediasoup (and on to consumers),
// sometimes a simulcast camera with its captured height, so the forwarding policy has layers to choose.
requestData.produce = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      transportId: ref('transport'),
      track: fc.constantFrom(
        { kind: 'audio', source: 'mic', rtpParameters: OPUS },
        { kind: 'video', source: 'camera', rtpParameters: VP8 },
        { kind: 'video', source: 'camera', rtpParameters: VP8_SIMULCAST, videoHeight: 720 },
        { kind: 'video', source: 'screen', rtpParameters: VP8 },
      ),
      paused: fc.boolean(),
    }).map(({ track, ...rest }) => ({ ...rest, ...track })),
  },
  requestData.produce,
);

/**
 * How often each method comes up, against 2 for the others: the ones that build state
 * later requests act on (media, breakout rooms, lobby, polls) more, the self-test (which
 * opens probe transports on every media port) less.
 */
const METHOD_WEIGHTS: Partial<Record<RequestMethod, number>> = {
  createTransport: 5,
  produce: 5,
  setRtpCapabilities: 3,
  setReceiverConstraints: 3,
  connectTransport: 3,
  createBreakoutRoom: 4,
  sendToBreakoutRoom: 5,
  joinBreakoutRoom: 3,
  setLobby: 3,
  answerKnock: 4,
  createPoll: 3,
  votePoll: 3,
  kick: 3,
  leave: 3,
  selfTest: 1,
};

// ── near-misses ────────────────────────────────────────────────────────────

/**
 * A big value as its recipe: a long string, a long array, or arrays `size` deep (small on
 * the wire, deep for a parser or a recursive walk). Kept as a recipe so that fast-check's
 * reports stay short (and printing a deep array does not overflow its stack); `real` builds it.
 */
export class Bulk {
  constructor(
    readonly shape: 'string' | 'array' | 'deep',
    readonly size: number,
  ) {}

  toString(): string {
    return `Bulk(${this.shape}, ${this.size})`;
  }

  static real(value: unknown): unknown {
    if (!(value instanceof Bulk)) return value;
    if (value.shape === 'string') return 'ñ'.repeat(value.size);
    if (value.shape === 'array') return new Array<number>(value.size).fill(7);
    let deep: unknown = [];
    for (let i = 0; i < value.size; i++) deep = [deep];
    return deep;
  }
}

/** Values that break assumptions: wrong types, extremes of JSON numbers, odd unicode, huge and deep structures. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(null, true, 0, -1, -0, 0.5, 1e308, -1e308, 2 ** 53 + 2, '', ' ', '\u0000', '\ud800', '\u202e💥', '<b>x</b>', '__proto__', [], {}) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 70_000 }).map((n) => new Bulk('string', n)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 5000 }).map((n) => new Bulk('array', n)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 4000 }).map((n) => new Bulk('deep', n)) },
);

/** Keys with meaning to JavaScript objects, besides random ones. */
const nastyKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'then'), fc.string({ maxLength: 10 }));

/** How a request's data is spoiled: one field changed to a bad value, an extra field, a field dropped, or the whole data replaced. */
export type Mutation =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'extra'; at: number; key: string; value: unknown }
  | { kind: 'drop'; at: number }
  | { kind: 'replace'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: nastyValue }),
  fc.record({ kind: fc.constant('extra' as const), at: fc.nat(), key: nastyKey, value: nastyValue }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), value: fc.oneof(nastyValue, fc.constant(undefined)) }),
);

/** Applies a mutation to a (JSON) value, in place where it can; returns the result. */
export function mutate(data: unknown, m: Mutation): unknown {
  if (m.kind === 'replace') return Bulk.real(m.value);
  const containers: Array<Record<string, unknown>> = [];
  const walk = (value: unknown, depth: number): void => {
    if (typeof value !== 'object' || value === null || depth > 6) return;
    containers.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) walk(child, depth + 1);
  };
  walk(data, 0);
  const target = containers[m.at % Math.max(containers.length, 1)];
  if (!target) return data;
  const keys = Object.keys(target);
  const key = keys[m.at % Math.max(keys.length, 1)];
  if (m.kind === 'extra') Object.defineProperty(target, m.key, { value: Bulk.real(m.value), enumerable: true, writable: true, configurable: true });
  else if (key === undefined) return data;
  else if (m.kind === 'set') target[key] = Bulk.real(m.value);
  else delete target[key];
  return data;
}

// ── frames ─────────────────────────────────────────────────────────────────

/**
 * A WebSocket message no well-behaved client sends. Frames marked `withId` get the
 * connection's next request id when sent, so an answer can be expected against it.
 */
export type RawFrame =
  | { binary: number[] }
  | { text: string }
  | { envelope: Record<string, unknown>; withId: boolean }
  | { deep: number; inside: 'data' | 'top' }
  | { padTo: number };

const envelopeNearMiss: fc.Arbitrary<RawFrame> = fc.oneof(
  // The id is not one a response can carry: the refusal comes as a protocolError.
  fc.record({
    envelope: fc.record({ type: fc.constant('request'), id: fc.constantFrom<unknown>(-1, 1.5, '7', null, 2 ** 53, [1], {}), method: fc.constantFrom(...METHODS), data: fc.constant({}) }),
    withId: fc.constant(false),
  }),
  // A usable id but something else wrong: the refusal is a response to it.
  fc.record({
    envelope: fc.oneof(
      fc.record({ type: fc.constantFrom<unknown>('response', 'notification', 'REQUEST', 1, null), method: fc.constantFrom(...METHODS), data: fc.constant({}) }),
      fc.record({ type: fc.constant('request'), method: fc.oneof(fc.constantFrom<unknown>('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'becomeAdmin', '', 'x'.repeat(65), 5, null), fc.string({ maxLength: 20 })) }),
      fc.record({ type: fc.constant('request'), method: fc.constantFrom(...METHODS), data: fc.constant({}), extra: nastyValue }),
      fc.record({ type: fc.constant('request') }),
    ),
    withId: fc.constant(true),
  }),
);

export const rawFrame: fc.Arbitrary<RawFrame> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ binary: fc.array(fc.nat(255), { maxLength: 64 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      text: fc.oneof(
        fc.string({ maxLength: 60 }),
        fc.constantFrom('{"type":"request", nope', '', 'null', '[]', '"request"', '1e999', '{}', '{"type":"request","id":'),
        fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null'),
      ),
    }),
  },
  { weight: 4, arbitrary: envelopeNearMiss },
  { weight: 1, arbitrary: fc.record({ deep: fc.integer({ min: 1000, max: 30_000 }), inside: fc.constantFrom('data' as const, 'top' as const) }) },
  // Around the 64 KiB limit, and now and then past the WebSocket's own 1 MiB frame limit.
  { weight: 1, arbitrary: fc.record({ padTo: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 65_530, max: 65_542 }) }, { weight: 4, arbitrary: fc.integer({ min: 66_000, max: 100_000 }) }, fc.constant(1_100_000)) }) },
);

// ── scenarios ──────────────────────────────────────────────────────────────

/** Tabs (connections) a scenario uses; a tab that reloads gets a new connection. */
export const MAX_TABS = 4;

export type Step =
  /** A protocol request; `wait` holds the tab's next step until the answer (so ids it brings can be used). */
  | { tab: number; method: string; data: unknown; mutation?: Mutation; wait: boolean }
  | { tab: number; frame: RawFrame }
  /** The tab's connection closes (1000, 1001 as a page going away, or dropped without a close frame); with `reopen`, a new one resumes its session. */
  | { tab: number; close: 1000 | 1001 | 'drop'; reopen: boolean }
  | { pauseMs: number }
  /** What an integrator does meanwhile through the REST API. */
  | { rest: 'kick'; room: Ref; target: Ref }
  | { rest: 'mute-all'; kind: 'audio' | 'video'; room: Ref }
  | { rest: 'end'; room: Ref };

const tab = fc.nat(MAX_TABS - 1);

const WEIRD_METHODS = ['becomeAdmin', '__proto__', 'constructor', 'toString', '', 'JOIN'];

const method = fc.oneof(...METHODS.map((m) => ({ weight: METHOD_WEIGHTS[m] ?? 2, arbitrary: fc.constant(m) })));

const requestStep: fc.Arbitrary<Step> = fc
  .tuple(tab, method, fc.boolean())
  .chain(([t, method, wait]) =>
    fc.record(
      { tab: fc.constant(t), method: fc.constant<string>(method), data: requestData[method], mutation: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, mutation), wait: fc.constant(wait) },
      { requiredKeys: ['tab', 'method', 'data', 'wait'] },
    ),
  )
  .map((step) => step as Step);

/** A join to one of the scenario's two rooms (`room` picks which), somewhere in the middle of things. */
const joinStep: fc.Arbitrary<Step> = fc
  .record({ tab, room: fc.nat(1), displayName: fc.string({ maxLength: 12 }), wait: fc.boolean() })
  .map(({ tab: t, room, displayName, wait }) => ({ tab: t, method: 'join', data: { room: new Ref('room', room), displayName }, wait }));

export const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 14, arbitrary: requestStep },
  { weight: 3, arbitrary: joinStep },
  { weight: 1, arbitrary: fc.record({ tab, method: fc.constantFrom(...WEIRD_METHODS), data: fc.jsonValue({ maxDepth: 2 }), wait: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ tab, frame: rawFrame }) },
  { weight: 2, arbitrary: fc.record({ tab, close: fc.constantFrom(1000 as const, 1001 as const, 'drop' as const), reopen: fc.boolean() }) },
  // Long enough, now and then, for a reconnect grace (FUZZ_SERVER_ENV) to run out.
  { weight: 1, arbitrary: fc.record({ pauseMs: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 150 })) }) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.record({ rest: fc.constant('kick' as const), room: ref('room'), target: ref('participant') }),
      fc.record({ rest: fc.constant('mute-all' as const), kind: fc.constantFrom('audio' as const, 'video' as const), room: ref('room') }),
      fc.record({ rest: fc.constant('end' as const), room: ref('room') }),
    ),
  },
);

/** What a browser does once in: declare what it can receive, then make its receive and send transports. */
const mediaSetup = (tab: number): Step[] => [
  { tab, method: 'setRtpCapabilities', data: { rtpCapabilities: RTP_CAPABILITIES }, wait: false },
  { tab, method: 'createTransport', data: { direction: 'recv' }, wait: false },
  { tab, method: 'createTransport', data: { direction: 'send' }, wait: true },
];

/** What the first one in may do before the others come: a lobby (they knock) or a password (they may know it). */
const roomSetting: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ tab: 0, method: 'setLobby', data: { enabled: true }, wait: true }),
  fc.constantFrom(...PASSWORDS).map((password): Step => ({ tab: 0, method: 'setPassword', data: { password }, wait: true })),
);

/**
 * A scenario in a meeting: one to four tabs join one of two rooms (most waiting for the
 * answer, some not, so later steps can land mid-join), then act in an arbitrary order.
 */
const meetingScenario: fc.Arbitrary<Step[]> = fc.integer({ min: 1, max: MAX_TABS }).chain((tabs) =>
  fc
    .tuple(
      fc.array(
        fc.record({
          room: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.constant(1)),
          displayName: fc.string({ maxLength: 12 }),
          password: fc.option(fc.constantFrom(...PASSWORDS), { nil: undefined }),
          wait: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)),
        }),
        { minLength: tabs, maxLength: tabs },
      ),
      fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, roomSetting.map((setting) => [setting])),
      fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, fc.constant(true)), { minLength: tabs, maxLength: tabs }),
      fc.array(step, { minLength: 1, maxLength: 14 }),
    )
    .map(([joins, settings, withMedia, steps]) => {
      const opening = joins.map(({ room, wait, ...data }, t): Step => ({ tab: t, method: 'join', data: { room: new Ref('room', room), ...data }, wait }));
      // Some tabs set up media as a browser does, so that producing, consuming and their near-misses act on real transports.
      const media = withMedia.flatMap((on, t) => (on ? mediaSetup(t) : []));
      // The first one in moderates: now and then it locks the room or turns the lobby on before the others arrive.
      return [...opening.slice(0, 1), ...settings, ...opening.slice(1), ...media, ...steps.map((s) => ('tab' in s ? { ...s, tab: s.tab % tabs } : s))];
    }),
);

/** A scenario outside any meeting: one connection sending requests (all but join) and frames, which must be refused cleanly. */
const loneScenario: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 14, arbitrary: requestStep.filter((s) => 'method' in s && s.method !== 'join') },
    { weight: 1, arbitrary: fc.record({ tab: fc.constant(0), method: fc.constantFrom(...WEIRD_METHODS), data: fc.jsonValue({ maxDepth: 2 }), wait: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ tab: fc.constant(0), frame: rawFrame }) },
  ).map((s): Step => ({ ...s, tab: 0 })),
  { minLength: 1, maxLength: 8 },
);

/** Two scenarios in three outside a meeting (cheap: mostly the checks at the edge), one in a meeting (opening rooms costs more). */
export const scenario: fc.Arbitrary<Step[]> = fc.oneof({ weight: 2, arbitrary: loneScenario }, { weight: 1, arbitrary: meetingScenario });
