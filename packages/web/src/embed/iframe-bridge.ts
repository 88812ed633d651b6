import { ProtocolError, type Participant } from '@tertulia/protocol';
import {
  API_ID_PARAM,
  HOST_ORIGIN_PARAM,
  REQUESTS,
  SUPPORTED_COMMANDS,
  WIRE,
  isHostMessage,
  type CommandName,
  type EventName,
  type FrameMessage,
  type HostMessage,
  type RequestName,
} from '@tertulia/iframe-api/wire';
import type { Conference, ConferenceState } from '../conference/conference.js';
import { listDevices, type DeviceKind } from '../conference/local-media.js';
import type { ClientConfig } from '../config/client-config.js';
import { pageConfig } from '../config/page-config.js';
import { allowedEmbedders, embedderAllowed } from './allowed-embedders.js';
import { BREAKOUT_COMMANDS, jitsiBreakoutRooms, roomsOf } from './breakout-rooms.js';
import { flag, text } from './command-args.js';
import { E2EE_COMMANDS } from './e2ee.js';
import { forwardLayoutEvents, LAYOUT_COMMANDS, LAYOUT_REQUESTS } from './layout.js';
import { forwardModerationEvents, MODERATION_COMMANDS, MODERATION_REQUESTS } from './moderation.js';
import { forwardPointerEvents } from './pointer-events.js';
import { forwardProfileEvents, PROFILE_COMMANDS, PROFILE_REQUESTS } from './profile.js';
import { forwardRecordingEvents, RECORDING_COMMANDS } from './recording.js';
import { RUNTIME_CONFIG_COMMANDS } from './runtime-config.js';
import { forwardMessagesMediaEvents, MESSAGES_MEDIA_COMMANDS, MESSAGES_MEDIA_REQUESTS } from './messages-media.js';
import { forwardVideoQualityEvents, VIDEO_QUALITY_COMMANDS } from './video-quality.js';
import { mediaPreferences } from '../ui/media-preferences.js';
import { meetingControls, meetingEvents } from '../ui/meeting-controls.js';
import type { Pin } from '../ui/stage.js';

/**
 * The meeting's side of the iframe API. Active only inside an iframe created by
 * JitsiMeetExternalAPI; it talks only to the parent window, only with the origin
 * the host declared and only if the server allows that origin to embed meetings,
 * and turns Conference events into Jitsi's event names.
 */
export function startIframeBridge(conference: Conference, config: ClientConfig): void {
  const host = hostOf(location.hash);
  if (!host || window.parent === window || !embedderAllowed(host.origin, allowedEmbedders())) return;
  const { apiId, origin } = host;
  const post = (message: FrameMessage) => window.parent.postMessage(message, origin);
  const emit = (name: EventName, data: Record<string, unknown> = {}) => post({ wire: WIRE, apiId, kind: 'event', name, data });
  const fail = (name: string, message: string) => emit('errorOccurred', { error: { name, message, type: 'OPERATIONAL', isFatal: false } });

  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || event.origin !== origin || !isHostMessage(event.data, apiId)) return;
    const message: HostMessage = event.data;
    if (message.kind === 'command') {
      // A refusal by the server (e.g. FORBIDDEN: not a moderator) is named by its code.
      runCommand(conference, message.name, message.args).catch((error: unknown) =>
        fail(error instanceof ProtocolError ? error.code : 'CommandFailed', `${message.name}: ${messageOf(error)}`),
      );
      return;
    }
    answer(conference, message.name, message.args).then(
      (result) => post({ wire: WIRE, apiId, kind: 'response', id: message.id, result }),
      (error: unknown) => post({ wire: WIRE, apiId, kind: 'response', id: message.id, error: messageOf(error) }),
    );
  });

  forwardEvents(conference, config, emit);
  forwardModerationEvents(conference, emit);
  forwardProfileEvents(conference, config, emit);
  forwardMessagesMediaEvents(conference, emit);
  forwardLayoutEvents(config, emit);
  forwardPointerEvents(emit);
  forwardVideoQualityEvents(conference, emit);
  forwardRecordingEvents(conference, emit);
  emit('ready');
}

function hostOf(hash: string): { apiId: number; origin: string } | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const apiId = Number(params.get(API_ID_PARAM));
  let origin: unknown;
  try {
    origin = JSON.parse(params.get(HOST_ORIGIN_PARAM) ?? 'null');
  } catch {
    return undefined;
  }
  if (!Number.isSafeInteger(apiId) || typeof origin !== 'string' || !/^https?:\/\/[^/]+$/.test(origin)) return undefined;
  return { apiId, origin };
}

/** What the bridge does for a command or answers to a request; arguments arrive unchecked from the host page. */
export type Handler<R> = (conference: Conference, args: unknown[]) => R | Promise<R>;

/** One handler per command in SUPPORTED_COMMANDS: a command listed but not handled (or handled but not listed) does not compile. */
const COMMANDS: Record<CommandName, Handler<void>> = {
  ...BREAKOUT_COMMANDS,
  ...MODERATION_COMMANDS,
  ...MESSAGES_MEDIA_COMMANDS,
  ...LAYOUT_COMMANDS,
  ...PROFILE_COMMANDS,
  ...RUNTIME_CONFIG_COMMANDS,
  ...VIDEO_QUALITY_COMMANDS,
  ...RECORDING_COMMANDS,
  ...E2EE_COMMANDS,
  toggleAudio: (conference) => conference.setAudioMuted(!conference.state.local.audioMuted),
  toggleVideo: (conference) => conference.setVideoMuted(!conference.state.local.videoMuted),
  toggleShareScreen: (conference) => (conference.state.local.screenTrack ? conference.stopScreenShare() : conference.startScreenShare()),
  hangup: (conference) => conference.leave(),
  sendChatMessage: (conference, [message, to]) =>
    conference.sendChat(text(message, 'a message'), typeof to === 'string' && to !== '' ? to : undefined),
  toggleChat: () => meetingControls.toggleChat(),
  toggleTileView: () => meetingControls.setTileView(!meetingControls.isTileView()),
  setTileView: (_, [enabled]) => meetingControls.setTileView(flag(enabled, 'enabled')),
  // Tertulia's large tile has no choice apart from a pin: both commands pin (no id: back to automatic).
  pinParticipant: (conference, args) => meetingControls.pin(pinOf(conference.state, args)),
  setLargeVideoParticipant: (conference, args) => meetingControls.pin(pinOf(conference.state, args)),
  toggleParticipantsPane: (_, [open]) => {
    // A page that hid the pane (participantsPane.enabled: false) does not get it back through the API either.
    if (!pageConfig().participantsPaneEnabled) throw new Error('the participants pane is disabled (participantsPane.enabled: false)');
    meetingControls.setParticipantsPaneOpen(open === undefined ? !meetingControls.isParticipantsPaneOpen() : flag(open, 'enabled'));
  },
  toggleRaiseHand: (conference) => conference.setHandRaised(conference.state.self?.handRaisedAt == null),
};

/** One handler per request in REQUESTS, checked the same way. */
const REQUEST_HANDLERS: Record<RequestName, Handler<unknown>> = {
  ...MODERATION_REQUESTS,
  ...PROFILE_REQUESTS,
  ...MESSAGES_MEDIA_REQUESTS,
  ...LAYOUT_REQUESTS,
  isAudioMuted: (conference) => conference.state.local.audioMuted,
  isVideoMuted: (conference) => conference.state.local.videoMuted,
  isSharingScreen: (conference) => conference.state.local.screenTrack !== undefined,
  isParticipantsPaneOpen: () => meetingControls.isParticipantsPaneOpen(),
  getAvailableDevices: async () => devicesByKind(await navigator.mediaDevices.enumerateDevices()),
  getCurrentDevices: async (conference) => {
    const { local } = conference.state;
    const devices = await navigator.mediaDevices.enumerateDevices();
    const find = (kind: MediaDeviceKind, id: string | undefined) => plain(devices.find((d) => d.kind === kind && d.deviceId === id));
    return {
      audioInput: find('audioinput', local.micDeviceId),
      videoInput: find('videoinput', local.cameraTrack?.getSettings().deviceId),
      // The speaker setAudioOutputDevice chose, else the browser's default one.
      audioOutput: find('audiooutput', mediaPreferences.value.audioOutputDeviceId ?? 'default'),
    };
  },
  setAudioInputDevice: (conference, args) => setDevice(conference, 'audioinput', args),
  setVideoInputDevice: (conference, args) => setDevice(conference, 'videoinput', args),
  getRoomsInfo: (conference) => ({
    rooms: roomsOf(conference.state).map((room) => ({
      isMainRoom: room.isMainRoom,
      id: room.id,
      jid: room.id,
      participants: room.participants.map((p) => ({ id: p.id, jid: p.id, role: p.role, displayName: p.displayName })),
    })),
  }),
  listBreakoutRooms: (conference) => jitsiBreakoutRooms(conference.state),
};

async function runCommand(conference: Conference, name: string, args: unknown[]): Promise<void> {
  if (!(SUPPORTED_COMMANDS as readonly string[]).includes(name)) throw new Error('not supported by this server');
  await COMMANDS[name as CommandName](conference, args);
}

async function answer(conference: Conference, name: string, args: unknown[]): Promise<unknown> {
  if (!(REQUESTS as readonly string[]).includes(name)) throw new Error(`Unknown request "${name}".`);
  return REQUEST_HANDLERS[name as RequestName](conference, args);
}

/** Jitsi addresses devices by label, optionally with an id. */
async function setDevice(conference: Conference, kind: DeviceKind, [label, id]: unknown[]): Promise<boolean> {
  const device = (await listDevices()).find((d) => d.kind === kind && (d.deviceId === id || d.label === label));
  if (!device) throw new Error(`No ${kind === 'audioinput' ? 'microphone' : 'camera'} named "${String(label)}".`);
  await conference.switchDevice(kind, device.deviceId);
  return true;
}

/** Turns Conference events and state changes into Jitsi's iframe events. */
function forwardEvents(conference: Conference, config: ClientConfig, emit: (name: EventName, data?: Record<string, unknown>) => void): void {
  const known = new Map<string, string>();
  let previous: ConferenceState = conference.state;
  let applyDevices = true;

  const introduce = (p: Participant) => {
    known.set(p.id, p.displayName);
    emit('participantJoined', { id: p.id, displayName: p.displayName });
  };

  conference.on('joined', (self) => {
    const state = conference.state;
    emit('videoConferenceJoined', { roomName: state.roomName, id: self.id, displayName: self.displayName, avatarURL: config.avatarUrl ?? '', breakoutRoom: Boolean(state.room?.breakout), visitor: false });
    emit('conferenceCreatedTimestamp', { timestamp: state.startedAt });
    emit('audioMuteStatusChanged', { muted: state.local.audioMuted });
    emit('videoMuteStatusChanged', { muted: state.local.videoMuted });
    // After a reconnect, report only who came and went meanwhile.
    const present = new Set(state.participants.map((p) => p.id));
    for (const id of known.keys()) if (!present.has(id)) emit('participantLeft', { id });
    for (const id of [...known.keys()]) if (!present.has(id)) known.delete(id);
    for (const p of state.participants) if (!known.has(p.id)) introduce(p);
    if (applyDevices) {
      applyDevices = false;
      void applyPreferredDevices(conference, config);
    }
  });
  conference.on('participantJoined', introduce);
  conference.on('participantLeft', (p, kick) => {
    known.delete(p.id);
    // Jitsi tells every page of a kick, with who did it, then that the person left.
    if (kick) emit('participantKickedOut', { kicked: { id: p.id, local: false }, kicker: { id: kick.by ?? undefined } });
    emit('participantLeft', { id: p.id });
  });
  conference.on('participantUpdated', (p) => {
    if (known.has(p.id) && known.get(p.id) !== p.displayName) {
      known.set(p.id, p.displayName);
      emit('displayNameChange', { id: p.id, displayname: p.displayName });
    }
  });
  conference.on('chatMessage', (m) => {
    const privateMessage = m.to !== undefined;
    if (m.from === conference.state.self?.id) emit('outgoingMessage', { message: m.text, privateMessage });
    else emit('incomingMessage', { from: m.from, nick: m.fromName, privateMessage, message: m.text, stamp: m.timestamp });
  });
  // Jitsi's shape: the time the hand went up, or 0 when it is down.
  conference.on('handChanged', (p) => emit('raiseHandUpdated', { id: p.id, handRaised: p.handRaisedAt ?? 0 }));
  meetingEvents.on('tileViewChanged', (enabled) => emit('tileViewChanged', { enabled }));
  meetingEvents.on('participantsPaneToggled', (open) => emit('participantsPaneToggled', { open }));
  conference.on('left', (reason, by) => {
    const selfId = previous.self?.id;
    if (reason === 'kicked') emit('participantKickedOut', { kicked: { id: selfId, local: true }, kicker: { id: by ?? undefined } });
    emit('videoConferenceLeft', { roomName: conference.state.roomName });
    emit('readyToClose');
  });
  conference.on('change', (state) => {
    if (state.breakoutRooms !== previous.breakoutRooms) emit('breakoutRoomsUpdated', { rooms: jitsiBreakoutRooms(state) });
    if (state.connection === 'joined' && previous.connection === 'joined') {
      if (state.local.audioMuted !== previous.local.audioMuted) emit('audioMuteStatusChanged', { muted: state.local.audioMuted });
      if (state.local.videoMuted !== previous.local.videoMuted) emit('videoMuteStatusChanged', { muted: state.local.videoMuted });
      if (Boolean(state.local.screenTrack) !== Boolean(previous.local.screenTrack)) {
        emit('screenSharingStatusChanged', { on: Boolean(state.local.screenTrack), details: {} });
      }
      if (state.self && previous.self && state.self.displayName !== previous.self.displayName) {
        emit('displayNameChange', { id: state.self.id, displayname: state.self.displayName });
      }
    }
    if (state.dominantSpeakerId !== previous.dominantSpeakerId && state.dominantSpeakerId) {
      emit('dominantSpeakerChanged', { id: state.dominantSpeakerId });
    }
    previous = state;
  });
}

async function applyPreferredDevices(conference: Conference, config: ClientConfig): Promise<void> {
  const devices = await listDevices();
  const wanted: Array<[DeviceKind, string | undefined]> = [
    ['audioinput', config.micLabel],
    ['videoinput', config.cameraLabel],
  ];
  for (const [kind, label] of wanted) {
    const device = label ? devices.find((d) => d.kind === kind && d.label === label) : undefined;
    if (device) await conference.switchDevice(kind, device.deviceId);
  }
}

export function devicesByKind(devices: MediaDeviceInfo[]) {
  const of = (kind: MediaDeviceKind) => devices.filter((d) => d.kind === kind).map(plain);
  return { audioInput: of('audioinput'), audioOutput: of('audiooutput'), videoInput: of('videoinput') };
}

/** MediaDeviceInfo does not survive postMessage's structured clone as such; send its fields. */
function plain(device: MediaDeviceInfo | undefined) {
  return device && { deviceId: device.deviceId, groupId: device.groupId, kind: device.kind, label: device.label };
}

/** Jitsi's `participantId, videoType?` ('camera' or 'desktop'); someone who is not in the meeting is an error. */
function pinOf(state: ConferenceState, [participantId, videoType]: unknown[]): Pin | undefined {
  if (participantId === undefined || participantId === null || participantId === '') return undefined;
  const id = text(participantId, 'a participant id');
  if (id !== state.self?.id && !state.participants.some((p) => p.id === id)) throw new Error(`no participant "${id}" in this meeting`);
  return { participantId: id, source: videoType === 'desktop' ? 'screen' : 'camera' };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
