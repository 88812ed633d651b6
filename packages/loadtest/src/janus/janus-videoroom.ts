/**
 * Typed requests of Janus's VideoRoom plugin (1.x, multistream) as a synthetic
 * participant needs them. Rooms and participant ids are strings: the benchmark's
 * Janus runs with `string_ids = true` (tests/support/janus-server.ts).
 */
import { JanusError, type JanusHandle, type Jsep, type PluginMessage } from './janus-api.js';

export const VIDEOROOM_PLUGIN = 'janus.plugin.videoroom';

/** JANUS_VIDEOROOM_ERROR_ROOM_EXISTS: another participant created the room first. */
const ROOM_EXISTS = 427;

export type FeedId = string | number;

/** A publisher as listed in 'joined' and in later 'event's. */
export interface Publisher {
  id: FeedId;
  display?: string;
  streams?: { type: 'audio' | 'video' | 'data'; mid: string; disabled?: boolean }[];
}

/** One m-line of a subscriber's PeerConnection and the publisher stream it carries. */
export interface SubscriberStream {
  mid: string;
  type: 'audio' | 'video' | 'data';
  active?: boolean;
  feed_id?: FeedId;
  feed_display?: string;
}

export interface RoomSettings {
  /** Most publishers the room admits. */
  publishers: number;
  /** Bitrate cap (bps) Janus announces to publishers with REMB; 0 for none. */
  bitrate: number;
}

/** Creates a temporary room with Opus and VP8 only, or finds it already there. */
export async function ensureRoom(handle: JanusHandle, room: string, settings: RoomSettings): Promise<void> {
  // Asking first keeps Janus's log free of an error line per participant; two creating at once is still fine.
  if ((await handle.message({ request: 'exists', room })).data.exists === true) return;
  try {
    await handle.message({
      request: 'create',
      room,
      permanent: false,
      publishers: settings.publishers,
      bitrate: settings.bitrate,
      audiocodec: 'opus',
      videocodec: 'vp8',
      notify_joining: false,
    });
  } catch (error) {
    if (!(error instanceof JanusError && error.code === ROOM_EXISTS)) throw error;
  }
}

export interface Joined {
  id: FeedId;
  /** Ties this participant's subscriptions to it, so Janus does not send them its own media. */
  privateId: number;
  publishers: Publisher[];
}

export async function joinAsPublisher(handle: JanusHandle, room: string, display: string): Promise<Joined> {
  const { data } = await handle.message({ request: 'join', ptype: 'publisher', room, display });
  return { id: data.id as FeedId, privateId: data.private_id as number, publishers: (data.publishers as Publisher[] | undefined) ?? [] };
}

/** Sends our offer on the publisher handle; resolves with Janus's answer. */
export async function publish(handle: JanusHandle, offer: Jsep): Promise<Jsep> {
  const { jsep } = await handle.message({ request: 'publish' }, offer);
  if (jsep?.type !== 'answer') throw new Error('Janus accepted the publish request without an SDP answer');
  return jsep;
}

/** Joins the room as a subscriber of the given feeds; resolves with Janus's offer and the streams it describes. */
export async function joinAsSubscriber(handle: JanusHandle, room: string, privateId: number, feeds: FeedId[]): Promise<PluginMessage> {
  return handle.message({ request: 'join', ptype: 'subscriber', room, private_id: privateId, streams: feeds.map((feed) => ({ feed })) });
}

/**
 * Adds feeds to an existing subscription. Janus answers at once and renegotiates
 * with a later 'updated' event that carries a new offer (see subscriberStreams).
 */
export async function subscribe(handle: JanusHandle, feeds: FeedId[]): Promise<PluginMessage> {
  return handle.message({ request: 'subscribe', streams: feeds.map((feed) => ({ feed })) });
}

/** Answers Janus's offer on a subscriber handle (the first one and every renegotiation). */
export async function start(handle: JanusHandle, answer: Jsep): Promise<void> {
  await handle.message({ request: 'start' }, answer);
}

/** Asks for one simulcast layer (0 lowest) of every video stream of a subscription. */
export async function selectSubstream(handle: JanusHandle, mids: string[], substream: number): Promise<void> {
  if (mids.length === 0) return;
  await handle.message({ request: 'configure', streams: mids.map((mid) => ({ mid, substream })) });
}

/** Leaves the room at once (others hear of it now, not when the session goes); gives up after `timeoutMs`. */
export async function leave(handle: JanusHandle, timeoutMs: number): Promise<void> {
  await handle.message({ request: 'leave' }, undefined, timeoutMs);
}

/** The streams a subscriber event describes ('attached', 'updated'), if it describes any. */
export function subscriberStreams(message: PluginMessage): SubscriberStream[] | undefined {
  return message.data.streams as SubscriberStream[] | undefined;
}

/** Publishers a publisher-handle event announces (new ones, or all of them on 'joined'). */
export function announcedPublishers(message: PluginMessage): Publisher[] {
  return (message.data.publishers as Publisher[] | undefined) ?? [];
}

/** The feed a publisher-handle event says is gone ('unpublished' or 'leaving'), if any. */
export function departedFeed(message: PluginMessage): FeedId | undefined {
  const gone = message.data.unpublished ?? message.data.leaving;
  return typeof gone === 'string' || typeof gone === 'number' ? gone : undefined;
}
