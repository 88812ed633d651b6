import {
  ErrorCode,
  ProtocolError,
  checkRoomName,
  type RequestData,
  type RequestMethod,
  type ResponseData,
} from '@tertulia/protocol';
import type { SignallingConnection } from './connection.js';

type Handler<M extends RequestMethod> = (connection: SignallingConnection, data: RequestData<M>) => Promise<ResponseData<M>>;

/** What the server does for each request. Input is already validated against the protocol schema. */
export const handlers: { [M in RequestMethod]: Handler<M> } = {
  async join(connection, { room: roomName, displayName, rejoin }) {
    if (connection.session) throw new ProtocolError(ErrorCode.AlreadyJoined, 'This connection has already joined a room.');
    if (connection.server.draining) throw new ProtocolError(ErrorCode.ShuttingDown, 'The server is restarting; try again in a moment.');
    const name = checkRoomName(roomName);
    if (!name.ok) throw new ProtocolError(ErrorCode.InvalidRoomName, name.reason);

    const room = await connection.server.registry.open(name.key, name.display);
    const resumedParticipant = rejoin && room.resume(rejoin.participantId, rejoin.token, connection.link);
    const participant = resumedParticipant || room.join(displayName, connection.link);
    if (resumedParticipant && displayName && displayName !== participant.displayName) {
      participant.displayName = displayName;
      room.announce(participant);
    }
    connection.attach(room, participant);
    return {
      self: room.describe(participant),
      sessionToken: participant.sessionToken,
      room: { name: room.name, startedAt: room.startedAt, serverTime: Date.now() },
      participants: room.participants().filter((p) => p !== participant).map((p) => room.describe(p)),
      routerRtpCapabilities: room.media.rtpCapabilities,
      iceServers: [],
      resumed: Boolean(resumedParticipant),
      chatHistory: room.chat.history(),
    };
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

  async setDisplayName(connection, { displayName }) {
    const { room, participant } = connection.joined();
    participant.displayName = displayName;
    room.announce(participant);
    return {};
  },

  async sendChat(connection, { text, to }) {
    const { room, participant } = connection.joined();
    return { message: room.sendChat(participant, text, to) };
  },

  async leave(connection) {
    const { room, participant } = connection.joined();
    connection.detach();
    room.leave(participant, 'left');
    return {};
  },
};
