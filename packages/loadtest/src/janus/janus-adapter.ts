/**
 * Synthetic participants in a Janus VideoRoom, through Janus's own WebSocket API:
 * each joins the room, publishes the looped media (if asked) on one PeerConnection
 * and receives every other publisher on a second one (a multistream subscription).
 */
import { randomInt } from 'node:crypto';
import type { RTCPeerConnection } from 'werift';
import { startPublishing, type Publisher } from '../rtp-publisher.js';
import { StreamCounter } from '../stream-counter.js';
import type { JoinOptions, MediaFiles, SfuAdapter, SyntheticSession, WantedLayer } from '../types.js';
import { JanusSession, type JanusHandle, type PluginMessage } from './janus-api.js';
import { connected, gatheredDescription, newPeerConnection, OPUS_PAYLOAD_TYPE, VP8_PAYLOAD_TYPE } from './janus-peer.js';
import { announceSimulcastSsrcs } from './janus-sdp.js';
import { JanusSubscription } from './janus-subscription.js';
import { announcedPublishers, departedFeed, ensureRoom, joinAsPublisher, leave, publish, VIDEOROOM_PLUGIN, type FeedId } from './janus-videoroom.js';

/**
 * Rooms admit more publishers than any scenario has participants (listeners join
 * as publishers that never publish). No bitrate cap: the files set the rate, as
 * with Tertulia.
 */
const ROOM_SETTINGS = { publishers: 200, bitrate: 0 };
/** How long close waits for 'leave' before destroying the session anyway (which leaves too). */
const LEAVE_TIMEOUT_MS = 2_000;
const SUBSTREAM: Record<WantedLayer, number> = { low: 0, mid: 1, high: 2 };

/** Loaded by adapters.ts for `sfu: 'janus'`; JoinOptions.url is Janus's ws://host:port. */
export class JanusAdapter implements SfuAdapter {
  readonly sfu = 'janus' as const;

  join(options: JoinOptions): Promise<SyntheticSession> {
    return joinJanus(options);
  }
}

async function joinJanus(options: JoinOptions): Promise<SyntheticSession> {
  const session = await JanusSession.connect(options.url);
  const counter = new StreamCounter();
  let publishing: { pc: RTCPeerConnection; publisher: Publisher } | undefined;
  let subscription: JanusSubscription | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      publishing?.publisher.stop();
      await subscription?.close().catch(() => undefined);
      await publishing?.pc.close();
      await session.destroy();
    })());
  try {
    const control = await session.attach(VIDEOROOM_PLUGIN);
    // Listening before joining: an announcement can arrive right behind the 'joined' answer.
    let inRoom!: (room: { feeds: JanusSubscription; self: FeedId }) => void;
    const joinedRoom = new Promise<{ feeds: JanusSubscription; self: FeedId }>((resolve) => (inRoom = resolve));
    control.onEvent((event) => {
      if (event.type === 'message') void joinedRoom.then(({ feeds, self }) => onRoomEvent(event.message, feeds, self));
    });
    await ensureRoom(control, options.room, ROOM_SETTINGS);
    const joined = await joinAsPublisher(control, options.room, options.name);
    const feeds = (subscription = new JanusSubscription(session, options.room, joined.privateId, SUBSTREAM[options.layer], counter));
    inRoom({ feeds, self: joined.id });
    await Promise.all([
      options.publish ? publishMedia(control, options.media).then((started) => (publishing = started)) : undefined,
      feeds.add(joined.publishers.map((p) => p.id)),
    ]);
    return {
      name: options.name,
      stats: () => counter.stats(),
      close: async () => {
        await leave(control, LEAVE_TIMEOUT_MS).catch(() => undefined);
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Follows the room: new publishers are subscribed to, departed ones forgotten. */
function onRoomEvent(message: PluginMessage, feeds: JanusSubscription, self: FeedId): void {
  const gone = departedFeed(message);
  if (gone !== undefined) feeds.forget(gone);
  const fresh = announcedPublishers(message).map((p) => p.id).filter((id) => id !== self);
  // A failure here shows in the results as streams that never deliver.
  if (fresh.length > 0) feeds.add(fresh).catch(() => undefined);
}

/** Offers audio and every video layer of the files (SSRC simulcast), then sends them at their real pace. */
async function publishMedia(control: JanusHandle, media: MediaFiles): Promise<{ pc: RTCPeerConnection; publisher: Publisher }> {
  const pc = newPeerConnection();
  try {
    const audio = pc.addTransceiver('audio', { direction: 'sendonly' });
    const video = pc.addTransceiver('video', { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const offer = await gatheredDescription(pc);
    const layerSsrcs = media.videoIvf.map(() => randomInt(1, 0xffffffff));
    const sdp = announceSimulcastSsrcs(offer.sdp, video.mid!, layerSsrcs, pc.cname);
    await pc.setRemoteDescription(await publish(control, { type: 'offer', sdp }));
    await control.endOfCandidates();
    await connected(pc);
    const publisher = startPublishing({
      sink: video.dtlsTransport,
      media,
      audio: { ssrc: audio.sender.ssrc, payloadType: OPUS_PAYLOAD_TYPE },
      video: layerSsrcs.map((ssrc, layer) => ({ ssrc, payloadType: VP8_PAYLOAD_TYPE, layer })),
    });
    return { pc, publisher };
  } catch (error) {
    await pc.close();
    throw error;
  }
}
