import { EventEmitter } from 'node:events';
import type { MediaRoom, ProduceRequest } from '@tertulia/media';
import {
  ErrorCode,
  ProtocolError,
  type ChatMessage,
  type MediaKind,
  type MediaSource,
  type NotificationData,
  type NotificationMethod,
  type Participant as ParticipantInfo,
  type Reaction,
  type Role,
  type FollowMeLayout,
  type RoomInfo,
} from '@tertulia/protocol';
import type { Logger } from 'pino';
import { safeEqual } from '../http/safe-equal.js';
import { RoomChat } from './chat.js';
import { RoomPolls } from './polls.js';
import { SpeakerStats } from './speaker-stats.js';
import { RoomReactions } from './reactions.js';
import { RoomEndpointMessages } from './endpoint-messages.js';
import { BreakoutRooms, type RoomPlace } from './breakout-rooms.js';
import { DirectPair, type DirectPairOptions } from './direct-pair.js';
import { admitInTurn, Lobby } from './lobby.js';
import { Participant, type ParticipantLink, type ReceiverConstraints } from './participant.js';
import type { RoomHandoff } from './room-handoff.js';
import { VideoForwarding } from './video-forwarding.js';

export type RoomEvents = {
  /** Main rooms: the last participant left the meeting (its breakout rooms too) and nobody waits outside; the registry closes and forgets the room. */
  empty: [];
  /** The room ended; connections still attached to it must let their browsers know. */
  closed: [];
  /** A new participant is in (not a resumed session). */
  participantJoined: [participant: Participant];
  /** A participant is out for good, including everyone still present when the room closes. */
  participantLeft: [participant: Participant, reason: LeaveReason];
  /** Who is here, what they send, their names or the dominant speaker changed (what a recording's picture follows). */
  lineupChanged: [];
};

/**
 * Why a participant is out: its own `leave`, a connection that did not come back,
 * removal by a moderator or the server API, the meeting ended for all, or the room closed under it.
 */
export type LeaveReason = 'left' | 'disconnected' | 'kicked' | 'ended' | 'closed';

export interface RoomOptions {
  /**
   * Without authentication the first person in moderates, and when the last
   * moderator leaves the longest-present participant takes over (Jitsi's auto-owner).
   * With authentication, moderation comes only from who people are.
   */
  autoOwner: boolean;
  /** Peer-to-peer for two people (P2P_ENABLED, P2P_BACK_DELAY_SECONDS). */
  p2p: DirectPairOptions;
  /** Who may create polls (POLL_CREATORS). */
  pollCreators: RoomInfo['pollCreators'];
  /** Who may turn end-to-end encryption on and off (E2EE_CONTROL). */
  e2eeControl: RoomInfo['e2eeControl'];
  /** Most videos forwarded to one browser (CHANNEL_LAST_N); -1 = all. */
  channelLastN: number;
  /** The server's recordings: what runs in a room, and why a mode cannot start; absent: recording is not offered. */
  recordings?: { roomInfo(room: Room): Pick<RoomInfo, 'recordings' | 'recordingUnavailable'> };
}

const NO_RECORDINGS: Pick<RoomInfo, 'recordings' | 'recordingUnavailable'> = {
  recordings: [],
  recordingUnavailable: { file: 'This server does not record meetings.', stream: 'This server does not stream meetings.' },
};

/** An anonymous server's rooms without peer-to-peer (the server's config decides the real options). */
export const DEFAULT_ROOM_OPTIONS: RoomOptions = { autoOwner: true, p2p: { enabled: false, backDelayMs: 0 }, pollCreators: 'moderators', e2eeControl: 'moderators', channelLastN: -1 };

/**
 * A meeting: who is in it, who is moderator, and which tracks flow to whom.
 * It exists from its first participant to its last and keeps nothing afterwards.
 */
export class Room extends EventEmitter<RoomEvents> {
  #startedAt = Date.now();
  readonly chat = new RoomChat();
  readonly reactions = new RoomReactions();
  readonly endpointMessages = new RoomEndpointMessages();
  readonly lobby = new Lobby();
  /** The P2P pair, when two people connect directly. */
  readonly direct: DirectPair;
  readonly polls: RoomPolls;
  /** Which videos each browser receives, at which layer; which layers each sender encodes. */
  readonly forwarding: VideoForwarding;
  readonly speakerStats = new SpeakerStats();
  /** The meeting's breakout rooms; a breakout room shares its main room's. */
  readonly breakouts: BreakoutRooms;
  /** Set when this room is a breakout room: which one, and the meeting's main room. */
  readonly breakout: { id: string; name: string; main: Room } | undefined;
  subject = '';
  lobbyEnabled = false;
  /** End-to-end encryption: the browsers encrypt every frame; the server relays their key exchange unread. */
  e2ee = false;
  /** "Follow me": the moderator everyone's layout follows, and that layout. */
  followMe: RoomInfo['followMe'] = null;
  readonly avModeration: Record<MediaKind, boolean> = { audio: false, video: false };
  readonly #approved: Record<MediaKind, Set<string>> = { audio: new Set(), video: new Set() };
  readonly #participants = new Map<string, Participant>();
  readonly #logger: Logger;
  readonly #options: RoomOptions;
  #password: string | undefined;
  /** The loudest participant, for newcomers: mediasoup announces only changes. */
  #dominantSpeakerId: string | null = null;
  #closed = false;
  #lastHandRaisedAt = 0;

  constructor(
    readonly key: string,
    readonly name: string,
    readonly media: MediaRoom,
    logger: Logger,
    options: RoomOptions,
    place: RoomPlace,
  ) {
    super();
    this.#logger = logger;
    this.#options = options;
    this.breakout = 'breakoutOf' in place ? { id: place.id, name: place.name, main: place.breakoutOf } : undefined;
    this.breakouts = 'breakoutOf' in place ? place.breakoutOf.breakouts : new BreakoutRooms(this, place.openBreakout);
    this.direct = new DirectPair(options.p2p, this, logger);
    this.forwarding = new VideoForwarding(this, options.channelLastN, logger);
    this.polls = new RoomPolls(options.pollCreators, () => this.participants());
    media.on('consumerClosed', (peerId, consumerId) => {
      this.#participants.get(peerId)?.notify('consumerClosed', { consumerId });
    });
    media.on('moved', (reason, peerIds) => {
      this.#logger.warn({ reason, participants: peerIds.length }, 'media moved to another bridge; those browsers connect to it');
      // The media room has already placed them again, with nothing of their old media: what they receive starts afresh, and their browsers build it on the new bridge.
      for (const participant of peerIds.flatMap((id) => this.#participants.get(id) ?? [])) {
        this.#mediaGone(participant);
        this.direct.restart(participant);
        participant.mediaRestarted(this);
      }
    });
    media.on('dominantSpeaker', (peerId) => {
      this.#dominantSpeakerId = peerId;
      this.broadcast('dominantSpeaker', { participantId: peerId });
      this.emit('lineupChanged');
      const speaker = this.#participants.get(peerId);
      if (speaker) this.speakerStats.dominantSpeaker(speaker);
    });
  }

  get size(): number {
    return this.#participants.size;
  }

  get startedAt(): number {
    return this.#startedAt;
  }

  /** Whether a recording or live stream of this room runs (then nobody goes peer to peer). */
  /** Who may turn end-to-end encryption on and off (E2EE_CONTROL). */
  get e2eeControl(): RoomInfo['e2eeControl'] {
    return this.#options.e2eeControl;
  }

  get recorded(): boolean {
    return (this.#options.recordings?.roomInfo(this).recordings.length ?? 0) > 0;
  }

  /** A recording started or ended: tell everyone, and go through the server (or back to peer to peer). */
  recordingChanged(): void {
    this.#settingsChanged();
    this.direct.review(this.recorded ? 0 : this.#options.p2p.backDelayMs);
  }

  /** The loudest participant here, or null. */
  get dominantSpeakerId(): string | null {
    return this.#dominantSpeakerId !== null && this.#participants.has(this.#dominantSpeakerId) ? this.#dominantSpeakerId : null;
  }

  get closed(): boolean {
    return this.#closed || this.media.closed;
  }

  /** The meeting's main room: this one, unless this is a breakout room. */
  get main(): Room {
    return this.breakout?.main ?? this;
  }

  participants(): Participant[] {
    return [...this.#participants.values()];
  }

  participant(id: string): Participant | undefined {
    return this.#participants.get(id);
  }

  /** Sends a chat message to everyone, or privately to `toId` (the sender gets its copy too). */
  sendChat(from: Participant, text: string, toId: string | undefined): ChatMessage {
    this.#requireMayChat(from);
    const to = toId === undefined ? undefined : this.#participants.get(toId);
    if (toId !== undefined && (!to || to === from)) {
      throw new ProtocolError(ErrorCode.NotFound, 'That participant is not in this meeting.');
    }
    const message = this.chat.compose(from, text, to);
    if (to) {
      to.notify('chatMessage', { message });
      from.notify('chatMessage', { message });
    } else {
      this.broadcast('chatMessage', { message });
    }
    return message;
  }

  /** App data for one other participant of this room; someone not in it (or the sender) is NOT_FOUND. */
  sendEndpointMessage(from: Participant, toId: string, text: string): void {
    const to = this.#participants.get(toId);
    if (!to || to === from) throw new ProtocolError(ErrorCode.NotFound, 'That participant is not in this room.');
    this.endpointMessages.send(from, to, text);
  }

  /** Relays an E2EE key-exchange message (opaque to the server) to one other participant of this room. */
  sendE2eeMessage(from: Participant, toId: string, message: string): void {
    const to = this.#participants.get(toId);
    if (!to || to === from) throw new ProtocolError(ErrorCode.NotFound, 'That participant is not in this room.');
    to.notify('e2eeMessage', { from: from.id, message });
  }

  /** Shows an emoji over the sender's tile for everyone, the sender included; nothing is kept. */
  sendReaction(from: Participant, reaction: Reaction): void {
    this.#requireMayChat(from);
    this.reactions.admit(from);
    this.broadcast('reaction', { participantId: from.id, reaction });
  }

  /**
   * Raises or lowers a hand. The queue is ordered by `handRaisedAt`, so a hand raised
   * again keeps its place, and two hands never share a time (the later one is moved on a millisecond).
   */
  setHand(participant: Participant, raised: boolean): void {
    if ((participant.handRaisedAt !== null) === raised) return;
    participant.handRaisedAt = raised ? (this.#lastHandRaisedAt = Math.max(Date.now(), this.#lastHandRaisedAt + 1)) : null;
    this.#broadcastUpdate(participant);
  }

  /** Someone says they record on their own device (or stopped): everyone sees it on their participant. */
  setRecordingLocally(participant: Participant, on: boolean): void {
    if (participant.recordingLocally === on) return;
    participant.recordingLocally = on;
    this.#broadcastUpdate(participant);
  }

  /** A moderator lowers one participant's hand, or everyone's without an id. */
  lowerHands(participantId: string | undefined): void {
    const whose = participantId === undefined ? this.participants() : [this.#require(participantId)];
    for (const participant of whose) this.setHand(participant, false);
  }

  /** Adds a participant with the role admission decided (without one, auto-owner decides), connected in `region`. */
  join(displayName: string, link: ParticipantLink, role?: Role, region?: string): Participant {
    const participant = new Participant(displayName);
    participant.region = region;
    participant.role = role ?? (this.#options.autoOwner && !this.#hasModerator() ? 'moderator' : 'participant');
    participant.attach(link);
    this.#seat(participant, 'participant joined');
    this.emit('participantJoined', participant);
    return participant;
  }

  /**
   * Takes back a session whose connection dropped. Its old media is discarded: the
   * browser builds new transports, which is what it must do after a reload anyway.
   * A connection still attached (its socket not yet known dead) is superseded.
   */
  resume(participantId: string, sessionToken: string, link: ParticipantLink): Participant | undefined {
    const participant = this.#participants.get(participantId);
    if (!participant || !safeEqual(participant.sessionToken, sessionToken)) return undefined;
    participant.attach(link);
    this.#resetMedia(participant);
    this.direct.restart(participant);
    this.#logger.info({ participantId }, 'participant resumed');
    return participant;
  }

  leave(participant: Participant, reason: LeaveReason, by: string | null = null): void {
    if (this.#participants.get(participant.id) !== participant) return;
    participant.dispose();
    // The others see a drop, a kick (with who kicked, as Jitsi's participantKickedOut tells everyone) or a departure.
    this.#takeOut(participant, reason === 'disconnected' || reason === 'kicked' ? reason : 'left', by);
    this.#logger.info({ participantId: participant.id, reason, size: this.size }, 'participant left');
    this.emit('participantLeft', participant, reason);
    if (this.#emptyCheck()) return;
    this.direct.review(this.#options.p2p.backDelayMs);
    this.#handOverModeration();
  }

  /** Lets a participant go to another room of the meeting: the others here see it leave, but its session goes on. */
  release(participant: Participant): void {
    if (this.#participants.get(participant.id) !== participant) return;
    this.#takeOut(participant, 'left', null);
    this.direct.review(this.#options.p2p.backDelayMs);
  }

  /** Takes in a participant moved here from another room of the meeting; the others here see it join. */
  admit(participant: Participant): void {
    participant.expireWith(() => this.leave(participant, 'disconnected'));
    this.#seat(participant, 'participant moved in');
  }

  /** In the room, with media, seen by the others; a second person may make a direct pair. */
  #seat(participant: Participant, logMessage: string): void {
    this.#participants.set(participant.id, participant);
    this.media.addPeer(participant.id, { region: participant.region });
    this.broadcast('participantJoined', { participant: this.describe(participant) }, participant.id);
    this.#logger.info({ participantId: participant.id, size: this.size }, logMessage);
    this.direct.review(0);
    this.emit('lineupChanged');
  }

  #takeOut(participant: Participant, reason: 'left' | 'disconnected' | 'kicked', by: string | null): void {
    this.#participants.delete(participant.id);
    // A raised hand is a place in this room's queue: it goes down on the way out (also into a breakout room).
    participant.handRaisedAt = null;
    this.speakerStats.left(participant);
    this.media.removePeer(participant.id);
    this.forwarding.changed();
    this.broadcast('participantLeft', reason === 'kicked' ? { participantId: participant.id, reason, by } : { participantId: participant.id, reason });
    this.emit('lineupChanged');
    this.#approved.audio.delete(participant.id);
    this.#approved.video.delete(participant.id);
    // Nobody is left to follow once the leading moderator is gone (left, dropped or moved to a breakout).
    if (this.followMe?.moderatorId === participant.id) this.setFollowMe(participant, null);
  }

  // ── settings moderators change ───────────────────────────────────────────

  info(): RoomInfo {
    return {
      name: this.name,
      startedAt: this.startedAt,
      serverTime: Date.now(),
      subject: this.subject,
      locked: this.#password !== undefined,
      lobbyEnabled: this.lobbyEnabled,
      avModeration: { ...this.avModeration },
      pollCreators: this.#options.pollCreators,
      e2eeControl: this.#options.e2eeControl,
      breakout: this.breakout ? { id: this.breakout.id, name: this.breakout.name } : null,
      followMe: this.followMe,
      e2ee: this.e2ee,
      ...(this.#options.recordings?.roomInfo(this) ?? NO_RECORDINGS),
    };
  }

  get hasPassword(): boolean {
    return this.#password !== undefined;
  }

  checkPassword(password: string): boolean {
    return this.#password !== undefined && safeEqual(this.#password, password);
  }

  setPassword(password: string | null): void {
    this.#password = password ?? undefined;
    this.#settingsChanged();
  }

  /** A moderator's layout for everyone to follow, or null to stop; a later moderator's call takes over. */
  setFollowMe(moderator: Participant, layout: FollowMeLayout | null): void {
    if (layout?.pin) this.#require(layout.pin.participantId);
    this.followMe = layout ? { moderatorId: moderator.id, layout } : null;
    this.#settingsChanged();
  }

  setSubject(subject: string): void {
    this.subject = subject;
    this.#settingsChanged();
  }

  /** End-to-end encryption on or off; not on while the server records or streams, which needs the media. */
  setE2ee(enabled: boolean): void {
    if (enabled && this.recorded) {
      throw new ProtocolError(
        ErrorCode.RecordingInProgress,
        'The server is recording or streaming this meeting, which end-to-end encryption would make impossible: stop the recording and the live stream first.',
      );
    }
    this.e2ee = enabled;
    this.#settingsChanged();
  }

  setLobby(enabled: boolean): void {
    this.lobbyEnabled = enabled;
    if (!enabled) admitInTurn(this.lobby.entries('lobby'));
    this.#settingsChanged();
  }

  /** Turning moderation on mutes every non-moderator for that kind; approvals start over. */
  async setAvModeration(kind: MediaKind, enabled: boolean, by: string): Promise<void> {
    this.avModeration[kind] = enabled;
    this.#approved[kind].clear();
    this.#settingsChanged();
    // Everyone's forceMuted changed with it.
    for (const participant of this.participants()) this.#broadcastUpdate(participant);
    if (!enabled) return;
    for (const participant of this.participants()) {
      if (participant.role === 'moderator') continue;
      await this.mute(participant.id, kind, by).catch(() => false);
      if (kind === 'video') {
        const screen = this.media.producersOf(participant.id).find((p) => p.source === 'screen');
        if (screen) this.closeProducer(participant, screen.producerId);
      }
    }
  }

  approveMedia(participantId: string, kind: MediaKind, approved: boolean): void {
    const participant = this.#require(participantId);
    if (approved) this.#approved[kind].add(participant.id);
    else this.#approved[kind].delete(participant.id);
    participant.notify('mediaApproval', { kind, approved });
    this.#broadcastUpdate(participant);
  }

  /** A chat-muted participant's messages and reactions are refused until a moderator allows them again. */
  setChatMuted(participantId: string, muted: boolean): void {
    const participant = this.#require(participantId);
    if (participant.chatMuted === muted) return;
    participant.chatMuted = muted;
    this.#broadcastUpdate(participant);
  }

  grantModerator(participantId: string): void {
    const participant = this.#require(participantId);
    if (participant.role === 'moderator') return;
    participant.role = 'moderator';
    this.#broadcastUpdate(participant);
    participant.notify('lobbyUpdated', { knocking: this.lobby.knocking() });
  }

  /** Whether a participant may start sending `source` unmuted under A/V moderation. */
  mayUnmute(participant: Participant, source: MediaSource): boolean {
    const kind: MediaKind = source === 'mic' ? 'audio' : 'video';
    return !this.avModeration[kind] || participant.role === 'moderator' || this.#approved[kind].has(participant.id);
  }

  /** Moderators hear about every change to the list of people knocking. */
  lobbyChanged(): void {
    const knocking = this.lobby.knocking();
    for (const participant of this.participants()) {
      if (participant.role === 'moderator') participant.notify('lobbyUpdated', { knocking });
    }
  }

  /** Someone waiting outside left or was let in/turned away; the room may now be empty. */
  forgetWaiting(entryId: string): void {
    if (!this.lobby.remove(entryId)) return;
    this.lobbyChanged();
    this.#emptyCheck();
  }

  /** Whether a host (anyone not a guest) is present, for guests waiting for one. */
  hasHost(): boolean {
    return this.participants().some((p) => p.role !== 'guest');
  }

  #settingsChanged(): void {
    this.broadcast('roomUpdated', { room: this.info() });
  }

  /** The meeting is over once nobody is in any of its rooms or waits outside; its main room says so. */
  #emptyCheck(): boolean {
    if (this.main.lobby.size > 0 || this.breakouts.everyone().length > 0) return false;
    this.main.emit('empty');
    return true;
  }

  /**
   * The participant's WebSocket closed without a `leave`. A page that went away
   * (reload, closed tab) stops sending media at once; either way the session waits
   * `graceMs` for the same tab to come back before it counts as gone.
   */
  disconnected(participant: Participant, graceMs: number, pageWentAway: boolean): void {
    if (pageWentAway) this.#resetMedia(participant);
    participant.detach(graceMs, () => this.leave(participant, 'disconnected'));
  }

  /** Removes a participant for good: it is told why, its connection closes, and the others see it leave. */
  kick(participantId: string, by: string | null): void {
    this.#remove([this.#require(participantId)], 'kicked', by);
  }

  /** Ends the meeting for everyone, in its breakout rooms too, turning away whoever still waits in the lobby, and closes it. */
  end(by: string | null): void {
    const main = this.main;
    for (const room of [...main.breakouts.rooms(), main]) room.#remove(room.participants(), 'ended', by);
    main.close();
  }

  /**
   * Stops a participant's microphone (paused, so its owner can unmute) or camera
   * (closed: it comes back only when its owner turns it on). False when nothing was on.
   */
  async mute(participantId: string, kind: MediaKind, by: string | null): Promise<boolean> {
    const participant = this.#require(participantId);
    const source = kind === 'audio' ? 'mic' : 'camera';
    const producer = this.media.producersOf(participant.id).find((p) => p.source === source && !p.paused);
    if (!producer) return false;
    if (kind === 'audio') await this.media.setProducerPaused(participant.id, producer.producerId, true);
    else this.media.closeProducer(participant.id, producer.producerId);
    participant.notify('muted', { kind, by });
    this.#broadcastUpdate(participant);
    this.#logger.info({ participantId, kind, by }, 'participant muted');
    if (kind === 'audio') this.speakerStats.micChanged(participant.id, false);
    return true;
  }

  /** Mutes everyone but `exceptId` (the moderator asking); returns the ids that were muted. */
  async muteAll(kind: MediaKind, by: string | null, exceptId?: string): Promise<string[]> {
    const muted: string[] = [];
    for (const participant of this.participants()) {
      if (participant.id === exceptId) continue;
      try {
        if (await this.mute(participant.id, kind, by)) muted.push(participant.id);
      } catch (error) {
        // Someone who left while others were being muted has nothing left to mute.
        if (!(error instanceof ProtocolError)) throw error;
      }
    }
    return muted;
  }

  describe(participant: Participant): ParticipantInfo {
    const producers = this.media.producersOf(participant.id);
    const live = (source: string) => producers.some((p) => p.source === source && !p.paused);
    return {
      id: participant.id,
      displayName: participant.displayName,
      role: participant.role,
      joinedAt: participant.joinedAt,
      audioMuted: !live('mic'),
      videoMuted: !live('camera'),
      screenSharing: producers.some((p) => p.source === 'screen'),
      handRaisedAt: participant.handRaisedAt,
      chatMuted: participant.chatMuted,
      ...(participant.avatarUrl === undefined ? {} : { avatarUrl: participant.avatarUrl }),
      ...(participant.recordingLocally ? { recordingLocally: true } : {}),
      ...(this.avModeration.audio || this.avModeration.video
        ? { forceMuted: { audio: !this.mayUnmute(participant, 'mic'), video: !this.mayUnmute(participant, 'camera') } }
        : {}),
    };
  }

  broadcast<M extends NotificationMethod>(method: M, data: NotificationData<M>, exceptId?: string): void {
    for (const participant of this.#participants.values()) {
      if (participant.id !== exceptId) participant.notify(method, data);
    }
  }

  /** Tells everyone, `participant` included, how it stands now (hand, chat mute, role, mute by a moderator). */
  #broadcastUpdate(participant: Participant): void {
    this.broadcast('participantUpdated', { participant: this.describe(participant) });
  }

  /** A new display name: the others here see it, and so does the meeting's breakout list when this is a breakout room. */
  rename(participant: Participant, displayName: string): void {
    participant.displayName = displayName;
    this.announce(participant);
    if (this.breakout) this.breakouts.changed();
  }

  /** A new picture (or none): everyone else sees it. */
  setAvatarUrl(participant: Participant, avatarUrl: string | undefined): void {
    participant.avatarUrl = avatarUrl;
    this.announce(participant);
  }

  /** Tells everyone else that something about `participant` changed. */
  announce(participant: Participant): void {
    const info = this.describe(participant);
    this.speakerStats.micChanged(participant.id, !info.audioMuted);
    this.broadcast('participantUpdated', { participant: info }, participant.id);
    this.emit('lineupChanged');
  }

  /** Called once the participant can receive (RTP capabilities known, receive transport made): consume everything already flowing. */
  async startReceiving(participant: Participant): Promise<void> {
    // Someone already speaking stays the dominant speaker without a new announcement: tell the newcomer.
    const speaker = this.#dominantSpeakerId === null ? undefined : this.#participants.get(this.#dominantSpeakerId);
    if (speaker && speaker !== participant) participant.notify('dominantSpeaker', { participantId: speaker.id });
    for (const other of this.#participants.values()) {
      if (other === participant) continue;
      await this.forwardBetween(other, participant);
    }
  }

  async produce(participant: Participant, request: ProduceRequest): Promise<string> {
    if (!request.paused) this.#requireMayUnmute(participant, request.source);
    const { producerId } = await this.media.produce(participant.id, request);
    for (const other of this.#participants.values()) {
      if (other !== participant) await this.#forward(participant, producerId, other);
    }
    this.forwarding.changed();
    this.announce(participant);
    return producerId;
  }

  closeProducer(participant: Participant, producerId: string): void {
    this.media.closeProducer(participant.id, producerId);
    this.forwarding.changed();
    this.announce(participant);
  }

  async setProducerPaused(participant: Participant, producerId: string, paused: boolean): Promise<void> {
    const producer = this.media.producersOf(participant.id).find((p) => p.producerId === producerId);
    if (!paused && producer) this.#requireMayUnmute(participant, producer.source);
    await this.media.setProducerPaused(participant.id, producerId, paused);
    this.forwarding.changed();
    this.announce(participant);
  }

  setReceiverConstraints(participant: Participant, constraints: ReceiverConstraints): void {
    participant.receiverConstraints = constraints;
    this.forwarding.changed();
  }

  /** Idempotent. Participants' connections end (their browsers reconnect); people waiting outside are sent away. */
  /**
   * Ends the room: its browsers reconnect and find or open a new one. `handedOver`: the
   * meeting goes on on another node (see handoff), where they resume their sessions, so
   * nobody is said to leave.
   */
  close(handedOver = false): void {
    if (this.#closed) return;
    this.#closed = true;
    this.direct.close();
    this.forwarding.dispose();
    for (const entry of this.lobby.entries()) entry.deny('closed');
    for (const participant of this.#participants.values()) {
      participant.roomClosed();
      participant.dispose();
      if (!handedOver) this.emit('participantLeft', participant, 'closed');
    }
    this.#participants.clear();
    if (!this.breakout) this.breakouts.dispose(handedOver);
    this.media.close();
    this.emit('closed');
  }

  async forwardBetween(from: Participant, to: Participant): Promise<void> {
    for (const { producerId } of this.media.producersOf(from.id)) await this.#forward(from, producerId, to);
  }

  /** Gives `to` a consumer of `from`'s producer, at the layer the forwarding policy says, unless the two are connected directly. */
  async #forward(from: Participant, producerId: string, to: Participant): Promise<void> {
    if (!this.media.canReceive(to.id) || this.direct.isDirect(from.id, to.id)) return;
    const forwarding = this.forwarding.initialForwarding(to, producerId);
    const consumer = await this.media.consume(to.id, producerId, forwarding).catch((err: unknown) => {
      this.#logger.warn({ err, producerId, to: to.id }, 'could not create consumer');
      return null;
    });
    if (!consumer) return;
    this.forwarding.changed();
    to.notify('newConsumer', {
      consumerId: consumer.consumerId,
      producerId: consumer.producerId,
      participantId: consumer.producerPeerId,
      kind: consumer.kind,
      source: consumer.source,
      rtpParameters: consumer.rtpParameters,
    });
  }

  /** Tells the participants why they are out and closes their connections before anyone sees them leave. */
  #remove(participants: Participant[], reason: 'kicked' | 'ended', by: string | null): void {
    for (const participant of participants) {
      participant.notify('removed', { reason, by });
      participant.closeConnection(reason === 'kicked' ? 'removed from the meeting' : 'the meeting ended');
    }
    for (const participant of participants) this.leave(participant, reason, by);
  }

  /** Chat and reactions: refused for someone a moderator chat-muted. */
  #requireMayChat(participant: Participant): void {
    if (participant.chatMuted) throw new ProtocolError(ErrorCode.Forbidden, 'A moderator has turned off your chat messages and reactions.');
  }

  #requireMayUnmute(participant: Participant, source: MediaSource): void {
    if (this.mayUnmute(participant, source)) return;
    throw new ProtocolError(ErrorCode.Forbidden, 'A moderator must allow you to unmute in this meeting.');
  }

  #require(participantId: string): Participant {
    const participant = this.#participants.get(participantId);
    if (!participant) throw new ProtocolError(ErrorCode.NotFound, `No participant "${participantId}" in this meeting.`);
    return participant;
  }

  #resetMedia(participant: Participant): void {
    this.media.removePeer(participant.id);
    this.media.addPeer(participant.id, { region: participant.region });
    this.#mediaGone(participant);
  }

  /** The participant's transports, producers and consumers are gone: forwarding starts over, and the others see it send nothing. */
  #mediaGone(participant: Participant): void {
    this.forwarding.reset(participant);
    this.announce(participant);
  }

  // ── handing the meeting to another node ──────────────────────────────────

  /** The meeting as plain data for the node that takes it over; people in breakout rooms are listed with the rest. */
  handoff(): RoomHandoff {
    return {
      name: this.name,
      startedAt: this.#startedAt,
      subject: this.subject,
      lobbyEnabled: this.lobbyEnabled,
      password: this.#password ?? null,
      e2ee: this.e2ee,
      followMe: this.followMe,
      avModeration: { ...this.avModeration },
      approved: { audio: [...this.#approved.audio], video: [...this.#approved.video] },
      chat: this.chat.history(),
      polls: this.polls.records(),
      participants: this.breakouts.everyone().map(({ participant: p }) => ({
        id: p.id,
        sessionToken: p.sessionToken,
        joinedAt: p.joinedAt,
        displayName: p.displayName,
        role: p.role,
        handRaisedAt: p.handRaisedAt,
        recordingLocally: p.recordingLocally,
        chatMuted: p.chatMuted,
        ...(p.avatarUrl !== undefined ? { avatarUrl: p.avatarUrl } : {}),
        ...(p.region !== undefined ? { region: p.region } : {}),
        features: [...p.features],
      })),
    };
  }

  /** Takes over a meeting another node handed over: its people have `graceMs` to resume their sessions here, as after a dropped connection. */
  restore(handoff: RoomHandoff, graceMs: number): void {
    this.#startedAt = handoff.startedAt;
    this.subject = handoff.subject;
    this.lobbyEnabled = handoff.lobbyEnabled;
    this.#password = handoff.password ?? undefined;
    this.e2ee = handoff.e2ee;
    Object.assign(this.avModeration, handoff.avModeration);
    for (const kind of ['audio', 'video'] as const) for (const id of handoff.approved[kind]) this.#approved[kind].add(id);
    this.chat.restore(handoff.chat);
    this.polls.restore(handoff.polls);
    for (const record of handoff.participants) {
      const participant = new Participant(record.displayName, record);
      participant.role = record.role;
      participant.handRaisedAt = record.handRaisedAt;
      participant.recordingLocally = record.recordingLocally;
      participant.chatMuted = record.chatMuted;
      participant.avatarUrl = record.avatarUrl;
      participant.region = record.region;
      participant.features = new Set(record.features);
      this.#lastHandRaisedAt = Math.max(this.#lastHandRaisedAt, record.handRaisedAt ?? 0);
      this.#seat(participant, 'participant handed over');
      participant.detach(graceMs, () => this.leave(participant, 'disconnected'));
    }
    // Set last: it names a participant, who must be here.
    this.followMe = handoff.followMe && this.#participants.has(handoff.followMe.moderatorId) ? handoff.followMe : null;
  }

  /** Moderators moderate the whole meeting, so one in a breakout room counts. */
  #hasModerator(): boolean {
    return this.breakouts.everyone().some(({ participant }) => participant.role === 'moderator');
  }

  /** When the meeting's last moderator leaves, its longest-present participant takes over (auto-owner only). */
  #handOverModeration(): void {
    if (!this.#options.autoOwner || this.#hasModerator()) return;
    const successor = this.breakouts.everyone().sort((a, b) => a.participant.joinedAt - b.participant.joinedAt)[0];
    if (!successor) return;
    successor.participant.role = 'moderator';
    successor.room.#broadcastUpdate(successor.participant);
  }
}

