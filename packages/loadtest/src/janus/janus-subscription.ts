import type { RTCPeerConnection } from 'werift';
import type { StreamCounter } from '../stream-counter.js';
import type { JanusHandle, JanusSession, PluginMessage } from './janus-api.js';
import { connected, gatheredDescription, newPeerConnection } from './janus-peer.js';
import { mediaSsrcsByMid, withoutRtcpFeedback } from './janus-sdp.js';
import { joinAsSubscriber, selectSubstream, start, subscribe, subscriberStreams, VIDEOROOM_PLUGIN, type FeedId } from './janus-videoroom.js';

/**
 * One participant's subscription to every other publisher of its room: a single
 * VideoRoom subscriber handle and PeerConnection (Janus's multistream), to which
 * feeds are added as they appear. Janus renegotiates with an offer each time the
 * set of streams changes; negotiations run one at a time.
 */
export class JanusSubscription {
  #handle: JanusHandle | undefined;
  #pc: RTCPeerConnection | undefined;
  readonly #feeds = new Set<FeedId>();
  /** The streams the counter knows, as mid + feed: Janus reuses the m-line of a departed feed for a new one. */
  readonly #counted = new Set<string>();
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    private readonly session: JanusSession,
    private readonly room: string,
    private readonly privateId: number,
    /** Simulcast layer wanted, 0 lowest. */
    private readonly substream: number,
    private readonly counter: StreamCounter,
  ) {}

  /** Subscribes to the feeds not subscribed yet; resolves once Janus's new offer is answered. */
  add(feeds: FeedId[]): Promise<void> {
    return this.#enqueue(async () => {
      const fresh = feeds.filter((feed) => !this.#feeds.has(feed));
      if (fresh.length === 0) return;
      for (const feed of fresh) this.#feeds.add(feed);
      if (!this.#handle) await this.#open(fresh);
      else await this.#negotiate(await subscribe(this.#handle, fresh));
    });
  }

  /** A publisher left: Janus drops its streams itself (and renegotiates), we only forget it. */
  forget(feed: FeedId): void {
    this.#feeds.delete(feed);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    await this.#handle?.detach();
    await this.#pc?.close();
  }

  async #open(feeds: FeedId[]): Promise<void> {
    const handle = (this.#handle = await this.session.attach(VIDEOROOM_PLUGIN));
    this.#pc = newPeerConnection();
    // Renegotiations Janus starts by itself (a publisher left) arrive as events.
    handle.onEvent((event) => {
      // A failure here shows in the results as streams that never deliver.
      if (event.type === 'message' && event.message.jsep) this.#enqueue(() => this.#negotiate(event.message)).catch(() => undefined);
    });
    await this.#negotiate(await joinAsSubscriber(handle, this.room, this.privateId, feeds));
    await handle.endOfCandidates();
    const ice = this.#pc.iceTransports[0];
    if (!ice) throw new Error('Janus offered no media to subscribe to');
    // Counting needs only the RTP header, which SRTP leaves in clear: read packets as they arrive.
    ice.connection.onData.subscribe((packet) => this.counter.add(packet));
    await connected(this.#pc);
  }

  /** Answers an offer from Janus, and counts and picks the layer of the streams it adds. */
  async #negotiate(message: PluginMessage): Promise<void> {
    const pc = this.#pc!;
    if (message.jsep?.type !== 'offer') return;
    await pc.setRemoteDescription(message.jsep);
    // Like the Tertulia adapter's links: no SRTP session on the receiving side, so werift neither decrypts
    // (counting reads the clear RTP header) nor sends receiver reports or NACKs; the load tool stays light.
    const dtls = pc.dtlsTransports[0];
    if (dtls && !dtls.srtpStarted) dtls.srtpStarted = true;
    await pc.setLocalDescription(await pc.createAnswer());
    const answer = await gatheredDescription(pc);
    await start(this.#handle!, { type: answer.type, sdp: withoutRtcpFeedback(answer.sdp) });
    const ssrcs = mediaSsrcsByMid(message.jsep.sdp);
    const added: string[] = [];
    for (const stream of subscriberStreams(message) ?? []) {
      const ssrc = ssrcs.get(stream.mid);
      const key = `${stream.mid} ${String(stream.feed_id)}`;
      if (stream.active === false || stream.type === 'data' || ssrc === undefined || this.#counted.has(key)) continue;
      this.#counted.add(key);
      this.counter.expect(ssrc, { publisher: stream.feed_display ?? String(stream.feed_id), kind: stream.type, clockRate: stream.type === 'audio' ? 48000 : 90000 });
      if (stream.type === 'video') added.push(stream.mid);
    }
    await selectSubstream(this.#handle!, added, this.substream);
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(() => (this.#closed ? undefined : task()));
    // A failed negotiation must not block later ones; its caller sees the error.
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
