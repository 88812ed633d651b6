import type { CommandName, EventName, RequestName } from '@tertulia/iframe-api/wire';
import type { Conference, ConferenceState } from '../conference/conference.js';
import { pageConfig } from '../config/page-config.js';
import { meetingControls, meetingEvents } from '../ui/meeting-controls.js';
import { mediaPreferences } from '../ui/media-preferences.js';
import { text } from './command-args.js';
import { devicesByKind, type Handler } from './iframe-bridge.js';

type Emit = (name: EventName, data?: Record<string, unknown>) => void;

type MessagesMediaCommand = Extract<
  CommandName,
  'initiatePrivateChat' | 'cancelPrivateChat' | 'sendEndpointTextMessage' | 'setParticipantVolume' | 'toggleCameraMirror' | 'toggleCamera'
>;
type MessagesMediaRequest = Extract<
  RequestName,
  | 'isAudioAvailable' | 'isVideoAvailable' | 'getContentSharingParticipants' | 'isP2pActive' | 'getConnectionStats' | 'setAudioOutputDevice'
  | 'isStartSilent' | 'isAudioDisabled' | 'isDeviceChangeAvailable' | 'isMultipleAudioInputSupported'
>;

/** Chat, app messages and local media commands, with Jitsi's arguments. */
export const MESSAGES_MEDIA_COMMANDS: Record<MessagesMediaCommand, Handler<void>> = {
  initiatePrivateChat: (conference, [id]) => meetingControls.initiatePrivateChat(remoteParticipant(conference.state, id)),
  cancelPrivateChat: () => meetingControls.cancelPrivateChat(),
  sendEndpointTextMessage: (conference, [to, message]) => conference.sendEndpointMessage(text(to, 'a participant id'), text(message, 'a text')),
  setParticipantVolume: (conference, [id, volume]) => {
    if (typeof volume !== 'number' || !(volume >= 0 && volume <= 1)) throw new Error('expected a volume from 0 to 1');
    mediaPreferences.setVolume(remoteParticipant(conference.state, id), volume);
  },
  toggleCameraMirror: () => mediaPreferences.update({ selfViewMirrored: !mediaPreferences.value.selfViewMirrored }),
  // Jitsi's toggleCamera(facingMode): that camera, or without it the other one of front and back.
  toggleCamera: (conference, [facingMode]) => {
    if (facingMode !== undefined && facingMode !== 'user' && facingMode !== 'environment') throw new Error("expected a facing mode ('user' or 'environment')");
    const current = conference.state.local.cameraTrack?.getSettings().facingMode;
    return conference.setCameraFacingMode(facingMode ?? (current === 'environment' ? 'user' : 'environment'));
  },
};

export const MESSAGES_MEDIA_REQUESTS: Record<MessagesMediaRequest, Handler<unknown>> = {
  isAudioAvailable: () => hasDevice('audioinput'),
  isVideoAvailable: () => hasDevice('videoinput'),
  isStartSilent: () => pageConfig().startSilent,
  // As Jitsi: the microphone cannot be used when there is none or the meeting is silent.
  isAudioDisabled: async () => pageConfig().startSilent || !(await hasDevice('audioinput')),
  // Jitsi's deviceType 'output': only where the browser can route sound to a chosen speaker; inputs always.
  isDeviceChangeAvailable: (_, [deviceType]) => deviceType !== 'output' || 'setSinkId' in HTMLMediaElement.prototype,
  // Each getUserMedia call may open its own microphone in the browsers Tertulia supports.
  isMultipleAudioInputSupported: () => true,
  getContentSharingParticipants: (conference) => ({ sharingParticipantIds: sharingIds(conference.state) }),
  isP2pActive: (conference) => conference.state.p2p,
  getConnectionStats: (conference) => connectionStats(conference),
  setAudioOutputDevice: async (_, [label, id]) => {
    const device = (await navigator.mediaDevices.enumerateDevices()).find((d) => d.kind === 'audiooutput' && (d.deviceId === id || d.label === label));
    if (!device) throw new Error(`No speaker named "${String(label)}".`);
    mediaPreferences.update({ audioOutputDeviceId: device.deviceId });
    return true;
  },
};

/** Jitsi's events for app messages, the chat panel, devices, screen sharing and the media path. */
export function forwardMessagesMediaEvents(conference: Conference, emit: Emit): void {
  conference.on('endpointMessage', (from, message) =>
    emit('endpointTextMessageReceived', { senderInfo: { jid: from, id: from }, eventData: { name: 'endpoint-text-message', text: message } }),
  );
  meetingEvents.on('chatUpdated', (chat) => emit('chatUpdated', chat));
  conference.on('deviceError', (error) => emit(error.device === 'camera' ? 'cameraError' : 'micError', { type: error.type, message: error.message }));
  conference.on('peerConnectionFailure', (isP2P, wasConnected) => emit('peerConnectionFailure', { isP2P, wasConnected }));

  let sharing = sharingIds(conference.state);
  let p2p = conference.state.p2p;
  conference.on('change', (state) => {
    const now = sharingIds(state);
    if (now.join() !== sharing.join()) emit('contentSharingParticipantsChanged', { data: now });
    sharing = now;
    if (state.p2p !== p2p) emit('p2pStatusChanged', { isP2p: state.p2p });
    p2p = state.p2p;
  });

  let available = { audio: false, video: false };
  const checkDevices = async (announce: boolean) => {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const now = { audio: devices.some((d) => d.kind === 'audioinput'), video: devices.some((d) => d.kind === 'videoinput') };
    if (announce) {
      emit('deviceListChanged', { devices: devicesByKind(devices) });
      if (now.audio !== available.audio) emit('audioAvailabilityChanged', { available: now.audio });
      if (now.video !== available.video) emit('videoAvailabilityChanged', { available: now.video });
    }
    available = now;
  };
  void checkDevices(false);
  navigator.mediaDevices.addEventListener('devicechange', () => void checkDevices(true));
}

async function hasDevice(kind: MediaDeviceKind): Promise<boolean> {
  return (await navigator.mediaDevices.enumerateDevices()).some((d) => d.kind === kind);
}

/** Who shares a screen now, this person included, in a stable order. */
function sharingIds(state: ConferenceState): string[] {
  const ids = state.participants.filter((p) => p.screenSharing).map((p) => p.id);
  if (state.self && state.local.screenTrack) ids.push(state.self.id);
  return ids.sort();
}

function remoteParticipant(state: ConferenceState, id: unknown): string {
  const participantId = text(id, 'a participant id');
  if (!state.participants.some((p) => p.id === participantId)) throw new Error(`no participant "${participantId}" in this meeting`);
  return participantId;
}

/**
 * What Jitsi's getConnectionStats answers, from this browser's WebRTC statistics:
 * the media path (direct or through the server) with its candidates and round trip,
 * and what arrives per remote track.
 */
async function connectionStats(conference: Conference) {
  const [paths, inbound] = await Promise.all([conference.mediaPaths(), conference.inboundStats()]);
  const p2p = conference.state.p2p;
  const transport = p2p
    ? [{ p2p: true, localCandidateType: await conference.p2pCandidateType() }]
    : paths.map((path) => ({ p2p: false, direction: path.direction, state: path.state, type: path.protocol, localCandidateType: path.localCandidateType, rtt: path.roundTripTimeMs }));
  const rtts = paths.map((path) => path.roundTripTimeMs).filter((rtt): rtt is number => rtt !== undefined);
  return {
    isP2p: p2p,
    transport,
    jvbRTT: p2p || rtts.length === 0 ? undefined : Math.max(...rtts),
    bytesReceived: inbound.reduce((sum, stat) => sum + stat.bytesReceived, 0),
    tracks: inbound.map(({ participantId, path, source, kind, bytesReceived, framesDecoded }) => ({ participantId, path, source, kind, bytesReceived, framesDecoded })),
  };
}
