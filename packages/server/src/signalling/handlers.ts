import {
  ErrorCode,
  ProtocolError,
  checkRoomName,
  type RequestData,
  type RequestMethod,
  type ResponseData,
} from '@tertulia/protocol';
import type { RecordingMode, Role } from '@tertulia/protocol';
import type { WaitReason } from '../rooms/lobby.js';
import type { Room } from '../rooms/room.js';
import { gateFor, grantedFeatures, hostArrived, identify, meetingFor, placeFor, requireSeat, roleFor } from './admission.js';
import type { SignallingConnection } from './connection.js';

type Handler<M extends RequestMethod> = (connection: SignallingConnection, data: RequestData<M>) => Promise<ResponseData<M>>;

/** What the server does for each request. Input is already validated against the protocol schema. */
export const handlers: { [M in RequestMethod]: Handler<M> } = {
  async join(connection, request) {
    if (connection.busy) throw new ProtocolError(ErrorCode.AlreadyJoined, 'This connection has already joined a room.');
    const { server } = connection;
    if (server.draining) throw new ProtocolError(ErrorCode.ShuttingDown, 'The server is restarting; try again in a moment.');
    const name = checkRoomName(request.room);
    if (!name.ok) throw new ProtocolError(ErrorCode.InvalidRoomName, name.reason);
    server.addressLimits.join(connection.remoteAddress);

    const identity = await identify(server.authenticator, request.auth ?? {}, name.key, connection.remoteAddress, server.failedAttempts);
    const role = roleFor(identity, server.access, server.authenticator);
    if (!server.registry.isOpen(name.key)) server.addressLimits.newRoom(connection.remoteAddress);
    const room = await server.registry.open(name.key, name.display);
    const displayName = identity?.displayName ?? request.displayName;
    const grants: Grants = { role, features: grantedFeatures(identity), avatarUrl: identity?.avatar, region: connection.client.region };

    // A resumed session was admitted before; it keeps its role and skips the gates, and comes back to the breakout room it was in.
    const home = (request.rejoin && room.breakouts.locate(request.rejoin.participantId)?.room) || room;
    const resumed = request.rejoin && home.resume(request.rejoin.participantId, request.rejoin.token, connection.link);
    if (resumed) {
      if (displayName && displayName !== resumed.displayName) home.rename(resumed, displayName);
      connection.attach(home, resumed);
      return { status: 'joined', meeting: meetingFor(home, resumed, true, server.ice) };
    }

    requireSeat(room, server.maxParticipants);
    const gate = role === 'moderator' ? 'enter' : gateFor(room, request.password, connection.remoteAddress, server.failedAttempts);
    const place = placeFor(room, role, gate);
    if (place !== 'enter') {
      waitOutside(connection, room, place, displayName, grants);
      return { status: 'waiting', reason: place };
    }
    return { status: 'joined', meeting: enter(connection, room, displayName, grants) };
  },

  async setRtpCapabilities(connection, { rtpCapabilities }) {
    const { room, participant } = connection.joined();
    room.media.setRtpCapabilities(participant.id, rtpCapabilities);
    connection.startReceivingWhenReady();
    return {};
  },

  async createTransport(connection, { direction }) {
    const { room, participant } = connection.joined();
    const options = await room.media.createTransport(participant.id, direction);
    if (direction === 'recv') connection.startReceivingWhenReady();
    return options;
  },

  async connectTransport(connection, { transportId, dtlsParameters }) {
    const { room, participant } = connection.joined();
    await room.media.connectTransport(participant.id, transportId, dtlsParameters);
    return {};
  },

  async restartIce(connection, { transportId }) {
    const { room, participant } = connection.joined();
    return { iceParameters: await room.media.restartIce(participant.id, transportId) };
  },

  async produce(connection, request) {
    const { room, participant } = connection.joined();
    return { producerId: await room.produce(participant, request) };
  },

  async closeProducer(connection, { producerId }) {
    const { room, participant } = connection.joined();
    room.closeProducer(participant, producerId);
    return {};
  },

  async setProducerPaused(connection, { producerId, paused }) {
    const { room, participant } = connection.joined();
    await room.setProducerPaused(participant, producerId, paused);
    return {};
  },

  async resumeConsumer(connection, { consumerId }) {
    const { room, participant } = connection.joined();
    await room.media.resumeConsumer(participant.id, consumerId);
    return {};
  },

  async setReceiverConstraints(connection, constraints) {
    const { room, participant } = connection.joined();
    room.setReceiverConstraints(participant, constraints);
    return {};
  },

  async setDisplayName(connection, { displayName }) {
    const { room, participant } = connection.joined();
    room.rename(participant, displayName);
    return {};
  },

  async setAvatarUrl(connection, { avatarUrl }) {
    const { room, participant } = connection.joined();
    room.setAvatarUrl(participant, avatarUrl ?? undefined);
    return {};
  },

  async sendChat(connection, { text, to }) {
    const { room, participant } = connection.joined();
    return { message: room.sendChat(participant, text, to) };
  },

  async sendEndpointMessage(connection, { to, text }) {
    const { room, participant } = connection.joined();
    room.sendEndpointMessage(participant, to, text);
    return {};
  },

  async p2pSignal(connection, { to, signal }) {
    const { room, participant } = connection.joined();
    room.direct.relay(participant, to, signal);
    return {};
  },

  async sendE2eeMessage(connection, { to, message }) {
    const { room, participant } = connection.joined();
    room.sendE2eeMessage(participant, to, message);
    return {};
  },

  async setE2ee(connection, { enabled }) {
    const session = connection.joined();
    // Moderators, or everyone when E2EE_CONTROL says so.
    (session.room.e2eeControl === 'everyone' ? session : moderator(connection)).room.setE2ee(enabled);
    return {};
  },

  async p2pConnected(connection, { connected }) {
    const { room, participant } = connection.joined();
    room.direct.connected(participant, connected);
    return {};
  },

  async muteParticipant(connection, { participantId, kind }) {
    const { room, participant } = moderator(connection);
    await room.mute(participantId, kind, participant.id);
    return {};
  },

  async muteAll(connection, { kind }) {
    const { room, participant } = moderator(connection);
    return { muted: await room.muteAll(kind, participant.id, participant.id) };
  },

  async askToUnmute(connection, { participantId }) {
    const { room, participant } = moderator(connection);
    const target = room.participant(participantId);
    if (!target) throw new ProtocolError(ErrorCode.NotFound, 'That participant is not in this meeting.');
    if (room.avModeration.audio) room.approveMedia(participantId, 'audio', true);
    target.notify('unmuteRequested', { kind: 'audio', by: participant.id });
    return {};
  },

  async setAvModeration(connection, { kind, enabled }) {
    const { room, participant } = moderator(connection);
    await room.setAvModeration(kind, enabled, participant.id);
    return {};
  },

  async approveMedia(connection, { participantId, kind, approved }) {
    const { room } = moderator(connection);
    room.approveMedia(participantId, kind, approved);
    return {};
  },

  async kick(connection, { participantId }) {
    const { room, participant } = moderator(connection);
    if (participantId === participant.id) throw new ProtocolError(ErrorCode.InvalidRequest, 'Use leave to leave the meeting.');
    room.kick(participantId, participant.id);
    return {};
  },

  async grantModerator(connection, { participantId }) {
    const { room } = moderator(connection);
    room.grantModerator(participantId);
    return {};
  },

  async endConference(connection) {
    const { room, participant } = moderator(connection);
    room.end(participant.id);
    return {};
  },

  async setPassword(connection, { password }) {
    moderator(connection).room.setPassword(password);
    return {};
  },

  async setLobby(connection, { enabled }) {
    moderator(connection).room.setLobby(enabled);
    return {};
  },

  async answerKnock(connection, { knockerId, approved }) {
    const { room } = moderator(connection);
    const entry = room.lobby.get(knockerId);
    if (!entry || entry.reason !== 'lobby') throw new ProtocolError(ErrorCode.NotFound, 'Nobody with that id is knocking.');
    if (approved) entry.admit();
    else entry.deny('denied');
    return {};
  },

  async startRecording(connection, request) {
    const { room, participant } = recordingAllowed(connection, request.mode);
    return { sessionId: await connection.server.recordings.start(room, participant, request) };
  },

  async stopRecording(connection, { mode }) {
    const { room, participant } = recordingAllowed(connection, mode);
    await connection.server.recordings.stop(room, mode, participant.id);
    return {};
  },

  async setSubject(connection, { subject }) {
    moderator(connection).room.setSubject(subject);
    return {};
  },

  async setFollowMe(connection, { layout }) {
    const { room, participant } = moderator(connection);
    room.setFollowMe(participant, layout);
    return {};
  },

  async setChatMuted(connection, { participantId, muted }) {
    moderator(connection).room.setChatMuted(participantId, muted);
    return {};
  },

  async setRecordingLocally(connection, { on }) {
    const { room, participant } = connection.joined();
    room.setRecordingLocally(participant, on);
    return {};
  },

  async raiseHand(connection, { raised }) {
    const { room, participant } = connection.joined();
    room.setHand(participant, raised);
    return {};
  },

  async lowerHand(connection, { participantId }) {
    moderator(connection).room.lowerHands(participantId);
    return {};
  },

  async sendReaction(connection, { reaction }) {
    const { room, participant } = connection.joined();
    room.sendReaction(participant, reaction);
    return {};
  },

  async createPoll(connection, { question, options, anonymous }) {
    const { room, participant } = connection.joined();
    return { poll: room.polls.create(participant, question, options, anonymous) };
  },

  async votePoll(connection, { pollId, option }) {
    const { room, participant } = connection.joined();
    room.polls.vote(participant, pollId, option);
    return {};
  },

  async closePoll(connection, { pollId }) {
    const { room, participant } = connection.joined();
    room.polls.close(participant, pollId);
    return {};
  },

  async getSpeakerStats(connection) {
    const { room } = connection.joined();
    return { stats: room.speakerStats.stats(room.participants()) };
  },

  async joinBreakoutRoom(connection, { roomId }) {
    const { room, participant } = connection.joined();
    room.breakouts.sendTo(participant.id, roomId);
    return {};
  },

  async createBreakoutRoom(connection, { name }) {
    return { room: await moderator(connection).room.breakouts.create(name) };
  },

  async removeBreakoutRoom(connection, { roomId }) {
    moderator(connection).room.breakouts.remove(roomId);
    return {};
  },

  async closeBreakoutRooms(connection, { roomId }) {
    moderator(connection).room.breakouts.sendBack(roomId);
    return {};
  },

  async autoAssignBreakoutRooms(connection) {
    moderator(connection).room.breakouts.autoAssign();
    return {};
  },

  async sendToBreakoutRoom(connection, { participantId, roomId }) {
    moderator(connection).room.breakouts.sendTo(participantId, roomId);
    return {};
  },

  async leave(connection) {
    const { room, participant } = connection.joined();
    connection.detach();
    room.leave(participant, 'left');
    return {};
  },

  async selfTest(connection) {
    return connection.server.selfTest.offer(connection, connection.remoteAddress);
  },

  async selfTestConnect(connection, { probeId, dtlsParameters }) {
    await connection.server.selfTest.connect(connection, probeId, dtlsParameters);
    return {};
  },
};

/** The joined participant, if it moderates; otherwise FORBIDDEN, before anything changes. */
/** Moderators record and stream; so does whoever's token grants Jitsi's `recording` (files) or `livestreaming` feature. */
function recordingAllowed(connection: SignallingConnection, mode: RecordingMode) {
  const session = connection.joined();
  const { participant } = session;
  if (participant.role !== 'moderator' && !participant.features.has(mode === 'file' ? 'recording' : 'livestreaming')) {
    throw new ProtocolError(ErrorCode.Forbidden, mode === 'file' ? 'Only a moderator can record the meeting.' : 'Only a moderator can stream the meeting.');
  }
  return session;
}

function moderator(connection: SignallingConnection) {
  const session = connection.joined();
  if (session.participant.role !== 'moderator') {
    throw new ProtocolError(ErrorCode.Forbidden, 'Only a moderator can do that.');
  }
  return session;
}

/** What a person's identity gives them in the room: a role (undefined: the room decides), token features, their token's picture. */
interface Grants {
  role: Role | undefined;
  features: ReadonlySet<string>;
  avatarUrl: string | undefined;
  /** Where the participant connected (the node's REGION): its media goes to a bridge there when the meeting can span bridges. */
  region: string | undefined;
}

/** Puts the participant in the room and, if it hosts, lets in guests waiting for a host. */
function enter(connection: SignallingConnection, room: Room, displayName: string, { role, features, avatarUrl, region }: Grants) {
  const participant = room.join(displayName, connection.link, role, region);
  participant.features = features;
  participant.avatarUrl = avatarUrl;
  connection.attach(room, participant);
  if (participant.role !== 'guest') hostArrived(room);
  return meetingFor(room, participant, false, connection.server.ice);
}

/** Parks the connection outside the room; admission completes the join and tells the browser. */
function waitOutside(
  connection: SignallingConnection,
  room: Room,
  reason: WaitReason,
  displayName: string,
  grants: Grants,
): void {
  const entry = room.lobby.add(displayName, reason, {
    admit: () => {
      // Seats may have filled while they waited: then they wait on (ROOM_FULL goes to whoever let them in).
      requireSeat(room, connection.server.maxParticipants);
      connection.stopWaiting();
      connection.link.notify('admitted', { meeting: enter(connection, room, displayName, grants) });
    },
    deny: (why) => {
      connection.stopWaiting();
      if (why === 'closed') connection.closeForRestart();
      else connection.link.notify('lobbyDenied', {});
    },
  });
  connection.wait(room, entry);
  if (reason === 'lobby') room.lobbyChanged();
}
