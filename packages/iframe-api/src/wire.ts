/*
 * The postMessage format between an embedding page (JitsiMeetExternalAPI) and the
 * meeting inside its iframe. Every message names this wire and the API instance,
 * and each side checks the sender's window and origin before reading anything.
 */

export const WIRE = 'tertulia-iframe-api/1';

/** URL-hash keys the host uses to introduce itself to the iframe. */
export const API_ID_PARAM = 'jitsi_meet_external_api_id';
export const HOST_ORIGIN_PARAM = 'tertulia_api_origin';

/** The meta tag in which the server tells the meeting page which host origins may embed it (ALLOWED_EMBEDDERS; `*`: any). */
export const ALLOWED_EMBEDDERS_META = 'tertulia-allowed-embedders';

export type HostMessage =
  | { wire: typeof WIRE; apiId: number; kind: 'command'; name: string; args: unknown[] }
  | { wire: typeof WIRE; apiId: number; kind: 'request'; id: number; name: string; args: unknown[] };

export type FrameMessage =
  | { wire: typeof WIRE; apiId: number; kind: 'event'; name: string; data: Record<string, unknown> }
  | { wire: typeof WIRE; apiId: number; kind: 'response'; id: number; result?: unknown; error?: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isHostMessage(value: unknown, apiId: number): value is HostMessage {
  if (!isRecord(value) || value['wire'] !== WIRE || value['apiId'] !== apiId) return false;
  if (typeof value['name'] !== 'string' || !Array.isArray(value['args'])) return false;
  return value['kind'] === 'command' || (value['kind'] === 'request' && typeof value['id'] === 'number');
}

export function isFrameMessage(value: unknown, apiId: number): value is FrameMessage {
  if (!isRecord(value) || value['wire'] !== WIRE || value['apiId'] !== apiId) return false;
  if (value['kind'] === 'event') return typeof value['name'] === 'string' && isRecord(value['data']);
  return value['kind'] === 'response' && typeof value['id'] === 'number';
}

/**
 * What Tertulia implements, with Jitsi's names. getSupportedCommands/Events answer
 * from these lists, and anything else raises `errorOccurred` instead of silence.
 */
export const SUPPORTED_COMMANDS = [
  'addBreakoutRoom',
  'answerKnockingParticipant',
  'approveVideo',
  'askToUnmute',
  'autoAssignToBreakoutRooms',
  'avatarUrl',
  'cancelPrivateChat',
  'closeBreakoutRoom',
  'displayName',
  'email',
  'endConference',
  'grantModerator',
  'hangup',
  'hideNotification',
  'initiatePrivateChat',
  'joinBreakoutRoom',
  'kickParticipant',
  'localSubject',
  'muteEveryone',
  'muteRemoteParticipant',
  'overwriteConfig',
  'overwriteNames',
  'password',
  'pinParticipant',
  'rejectParticipant',
  'removeBreakoutRoom',
  'resizeFilmStrip',
  'resizeLargeVideo',
  'sendChatMessage',
  'sendEndpointTextMessage',
  'sendParticipantToRoom',
  'setAssumedBandwidthBps',
  'setAudioOnly',
  'setFollowMe',
  'setLargeVideoParticipant',
  'setMediaEncryptionKey',
  'setParticipantVolume',
  'setTileView',
  'setVideoQuality',
  'showNotification',
  'startRecording',
  'stopRecording',
  'subject',
  'toggleAudio',
  'toggleCamera',
  'toggleCameraMirror',
  'toggleChat',
  'toggleE2EE',
  'toggleFilmStrip',
  'toggleLobby',
  'toggleModeration',
  'toggleParticipantsPane',
  'toggleRaiseHand',
  'toggleShareScreen',
  'toggleTileView',
  'toggleVideo',
] as const;

export const SUPPORTED_EVENTS = [
  'audioAvailabilityChanged',
  'audioMuteStatusChanged',
  'audioOnlyChanged',
  'avatarChanged',
  'breakoutRoomsUpdated',
  'browserSupport',
  'cameraError',
  'chatUpdated',
  'conferenceCreatedTimestamp',
  'contentSharingParticipantsChanged',
  'customNotificationActionTriggered',
  'deviceListChanged',
  'displayNameChange',
  'dominantSpeakerChanged',
  'emailChange',
  'endpointTextMessageReceived',
  'errorOccurred',
  'filmstripDisplayChanged',
  'incomingMessage',
  'knockingParticipant',
  'largeVideoChanged',
  'micError',
  'moderationParticipantApproved',
  'moderationParticipantRejected',
  'moderationStatusChanged',
  'mouseEnter',
  'mouseLeave',
  'mouseMove',
  'notificationTriggered',
  'outgoingMessage',
  'p2pStatusChanged',
  'participantJoined',
  'participantKickedOut',
  'participantLeft',
  'participantMenuButtonClick',
  'participantMuted',
  'participantRoleChanged',
  'participantsPaneToggled',
  'passwordRequired',
  'peerConnectionFailure',
  'prejoinScreenLoaded',
  'prejoinVideoChanged',
  'raiseHandUpdated',
  'readyToClose',
  'ready',
  'recordingLinkAvailable',
  'recordingStatusChanged',
  'screenSharingStatusChanged',
  'subjectChange',
  'suspendDetected',
  'tileViewChanged',
  'toolbarButtonClicked',
  'videoAvailabilityChanged',
  'videoConferenceJoined',
  'videoConferenceLeft',
  'videoMuteStatusChanged',
  'videoQualityChanged',
] as const;

/** Requests the iframe answers (the host-side methods that return promises). */
export const REQUESTS = [
  'captureCameraPicture',
  'captureLargeVideoScreenshot',
  'getAvailableDevices',
  'getConnectionStats',
  'getContentSharingParticipants',
  'getCurrentDevices',
  'getRoomsInfo',
  'getSessionId',
  'isAudioAvailable',
  'isAudioDisabled',
  'isAudioMuted',
  'isDeviceChangeAvailable',
  'isModerationOn',
  'isMultipleAudioInputSupported',
  'isP2pActive',
  'isParticipantForceMuted',
  'isParticipantsPaneOpen',
  'isSharingScreen',
  'isStartSilent',
  'isVideoAvailable',
  'isVideoMuted',
  'listBreakoutRooms',
  'setAudioInputDevice',
  'setAudioOutputDevice',
  'setVideoInputDevice',
] as const;

export type CommandName = (typeof SUPPORTED_COMMANDS)[number];
export type EventName = (typeof SUPPORTED_EVENTS)[number];
export type RequestName = (typeof REQUESTS)[number];
