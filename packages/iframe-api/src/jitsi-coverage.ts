/**
 * Every name of Jitsi's iframe API and every config key integrators use, and what
 * Tertulia does with the ones it does not implement. What *is* implemented is not
 * written here: it is read from the code's own lists (SUPPORTED_COMMANDS,
 * SUPPORTED_EVENTS, JitsiMeetExternalAPI's methods, the config whitelist), so the
 * README's table follows them. `scripts/iframe-coverage.ts` renders it.
 */

/** Jitsi's `executeCommand` names (external_api.js commands map). */
export const JITSI_COMMANDS = [
  'addBreakoutRoom', 'answerKnockingParticipant', 'approveVideo', 'askToUnmute', 'autoAssignToBreakoutRooms',
  'avatarUrl', 'cancelPrivateChat', 'closeBreakoutRoom', 'displayName', 'endConference', 'email', 'grantModerator',
  'grantRecordingConsent', 'hangup', 'hideNotification', 'initiatePrivateChat', 'joinBreakoutRoom', 'localSubject',
  'kickParticipant', 'muteEveryone', 'muteRemoteParticipant', 'overwriteConfig', 'overwriteNames', 'password',
  'pinParticipant', 'rejectParticipant', 'removeBreakoutRoom', 'resizeFilmStrip', 'resizeLargeVideo',
  'sendCameraFacingMode', 'sendChatMessage', 'sendEndpointTextMessage', 'sendParticipantToRoom', 'sendTones',
  'setAudioOnly', 'setAssumedBandwidthBps', 'setBlurredBackground', 'setFollowMe', 'setLargeVideoParticipant',
  'setMediaEncryptionKey', 'setMeetingTimer', 'setNoiseSuppressionEnabled', 'setParticipantVolume', 'setSecondScreen',
  'setSubtitles', 'setTileView', 'setVideoQuality', 'setVirtualBackground', 'showNotification', 'startRecording',
  'startShareVideo', 'stopRecording', 'stopShareVideo', 'subject', 'submitFeedback', 'toggleAudio', 'toggleCamera',
  'toggleCameraMirror', 'toggleChat', 'toggleE2EE', 'toggleFilmStrip', 'toggleLobby', 'toggleModeration',
  'toggleNoiseSuppression', 'toggleParticipantsPane', 'toggleRaiseHand', 'toggleShareScreen', 'toggleSubtitles',
  'toggleTileView', 'toggleVirtualBackgroundDialog', 'toggleVideo', 'toggleWhiteboard', 'showPiP', 'hidePiP',
] as const;

/** Jitsi's events: the 79 of its events map and the 2 it emits directly. */
export const JITSI_EVENTS = [
  '_pipRequested', 'pipEntered', 'pipLeft', 'secondScreenSourceChanged', 'secondScreenClosed', 'secondScreenError',
  'avatarChanged', 'audioAvailabilityChanged', 'audioMuteStatusChanged', 'audioOnlyChanged', 'audioOrVideoSharingToggled',
  'breakoutRoomsUpdated', 'browserSupport', 'cameraError', 'chatUpdated', 'computePressureChanged',
  'conferenceCreatedTimestamp', 'contentSharingParticipantsChanged', 'customNotificationActionTriggered',
  'dataChannelClosed', 'dataChannelOpened', 'deviceListChanged', 'displayNameChange', 'dominantSpeakerChanged',
  'emailChange', 'errorOccurred', 'endpointTextMessageReceived', 'externalShareSignal', 'faceLandmarkDetected',
  'feedbackSubmitted', 'feedbackPromptDisplayed', 'fileDeleted', 'fileUploaded', 'filmstripDisplayChanged',
  'incomingMessage', 'knockingParticipant', 'log', 'micError', 'moderationParticipantApproved',
  'moderationParticipantRejected', 'moderationStatusChanged', 'mouseEnter', 'mouseLeave', 'mouseMove',
  'nonParticipantMessageReceived', 'notificationTriggered', 'outgoingMessage', 'p2pStatusChanged', 'participantJoined',
  'participantKickedOut', 'participantLeft', 'participantMuted', 'participantRoleChanged', 'participantsPaneToggled',
  'passwordRequired', 'peerConnectionFailure', 'prejoinScreenLoaded', 'proxyConnectionEvent', 'raiseHandUpdated',
  'ready', 'recordingConsentDialogOpen', 'recordingLinkAvailable', 'recordingStatusChanged',
  'participantMenuButtonClick', 'readyToClose', 'videoConferenceJoined', 'videoConferenceLeft',
  'videoAvailabilityChanged', 'videoMuteStatusChanged', 'videoQualityChanged', 'screenSharingStatusChanged',
  'subjectChange', 'suspendDetected', 'tileViewChanged', 'toolbarButtonClicked', 'toolbarVisibilityChanged',
  'transcribingStatusChanged', 'transcriptionChunkReceived', 'whiteboardStatusChanged',
  'largeVideoChanged', 'prejoinVideoChanged',
] as const;

/** Jitsi's public JitsiMeetExternalAPI methods, its EventEmitter ones and its deprecated listener helpers. */
export const JITSI_METHODS = [
  'getRoomsInfo', 'getSharedDocumentUrl', 'getConnectionStats', 'isP2pActive', 'captureLargeVideoScreenshot',
  'captureCameraPicture', 'dispose', 'executeCommand', 'executeCommands', 'getAvailableDevices',
  'getContentSharingParticipants', 'getCurrentDevices', 'getCustomAvatarBackgrounds', 'getLivestreamUrl',
  'getParticipantsInfo', 'getVideoQuality', 'isAudioAvailable', 'isDeviceChangeAvailable', 'isDeviceListAvailable',
  'isMultipleAudioInputSupported', 'invite', 'isAudioMuted', 'isAudioDisabled', 'isModerationOn',
  'isParticipantForceMuted', 'isParticipantsPaneOpen', 'isSharingScreen', 'isStartSilent', 'isVisitor', 'getAvatarURL',
  'getDeploymentInfo', 'getDisplayName', 'getEmail', 'getIFrame', 'getNumberOfParticipants', 'getSessionId',
  'getSupportedCommands', 'getSupportedEvents', 'isVideoAvailable', 'isVideoMuted', 'listBreakoutRooms',
  'pinParticipant', 'resizeLargeVideo', 'sendProxyConnectionEvent', 'sendExternalShareSignal', 'setAudioInputDevice',
  'setAudioOutputDevice', 'setLargeVideoParticipant', 'setVideoInputDevice', 'startRecording', 'stopRecording',
  'toggleE2EE', 'setMediaEncryptionKey', 'setVirtualBackground', 'showPiP', 'hidePiP', 'updateNumberOfParticipants',
  'addEventListener', 'addEventListeners', 'removeEventListener', 'removeEventListeners',
  'on', 'once', 'off', 'addListener', 'removeListener', 'removeAllListeners',
] as const;

/**
 * Config keys integrators set, as the whitelist spells them: `config.*` is
 * configOverwrite (or `#config.*` in a link), `interfaceConfig.*` is
 * interfaceConfigOverwrite, the rest are the API's own options.
 */
export const JITSI_CONFIG_KEYS = [
  'config.prejoinConfig.enabled', 'config.prejoinPageEnabled', 'config.startWithAudioMuted', 'config.startWithVideoMuted',
  'config.subject', 'config.iceTransportPolicy', 'config.defaultLanguage', 'lang', 'userInfo.displayName',
  'userInfo.email', 'userInfo.avatarURL', 'devices.audioInput', 'devices.videoInput', 'devices.audioOutput',
  'config.toolbarButtons', 'interfaceConfig.TOOLBAR_BUTTONS', 'config.hiddenPremeetingButtons',
  'config.disableDeepLinking', 'config.readOnlyName', 'config.defaultLocalDisplayName',
  'config.defaultRemoteDisplayName', 'config.hideConferenceSubject', 'config.hideConferenceTimer',
  'config.disableModeratorIndicator', 'config.disableReactions', 'config.disablePolls', 'config.disableSelfView',
  'config.disableTileView', 'config.startAudioOnly', 'config.startSilent', 'config.notifications',
  'config.disableJoinLeaveSounds', 'interfaceConfig.DISABLE_JOIN_LEAVE_NOTIFICATIONS', 'config.filmstrip.disabled',
  'config.toolbarConfig.alwaysVisible', 'config.securityUi.hideLobbyButton', 'config.lobby.autoKnock',
  'config.breakoutRooms.hideAddRoomButton', 'config.participantsPane.enabled', 'config.enableClosePage',
  'config.requireDisplayName', 'config.channelLastN', 'config.startLastN', 'config.buttonsWithNotifyClick',
  'config.participantMenuButtonsWithNotifyClick', 'config.localRecording.disable',
  'config.localRecording.notifyAllParticipants', 'config.e2ee.externallyManagedKey',
  // Security-relevant: never taken from the page (client-config.ts SERVER_ONLY_KEYS).
  'config.lobby.enabled', 'config.enableLobbyChat', 'config.securityUi.disableLobbyPassword', 'config.disableRemoteMute',
  'config.remoteVideoMenu.disableKick', 'config.remoteVideoMenu.disableGrantModerator',
  'config.enableUserRolesBasedOnToken', 'config.hosts.domain', 'config.websocket',
] as const;

export type Kind = 'command' | 'event' | 'method' | 'config';

/** Why a Jitsi name is not (yet) implemented. */
export type Absence = { arrivesWith: string } | { notPlanned: string } | { serverOnly: string };

const arrives = (arrivesWith: string, ...names: string[]) => names.map((name) => [name, { arrivesWith }] as const);
const notPlanned = (why: string, ...names: string[]) => names.map((name) => [name, { notPlanned: why }] as const);

const RECORDING = 'recording & streaming';
const CPU_PRESSURE = 'adapting what is sent to the computer’s CPU pressure';

/**
 * What each Jitsi name Tertulia does not implement is waiting for, or why it never
 * will be. A name listed here that the code does implement is simply supported.
 */
export const ABSENT: ReadonlyMap<string, Absence> = new Map<string, Absence>([
  ...arrives(RECORDING, 'grantRecordingConsent', 'recordingConsentDialogOpen'),
  ...notPlanned('Jitsi answers it with the YouTube broadcast’s watch page, which it learns from Google’s API; Tertulia streams to an RTMP address and never learns one',
    'getLivestreamUrl'),
  ...arrives(CPU_PRESSURE, 'computePressureChanged'),
  ...notPlanned('virtual backgrounds need an in-browser segmentation model Tertulia does not ship',
    'setBlurredBackground', 'setVirtualBackground', 'toggleVirtualBackgroundDialog', 'getCustomAvatarBackgrounds'),
  ...notPlanned('no noise-suppression model', 'setNoiseSuppressionEnabled', 'toggleNoiseSuppression'),
  ...notPlanned('DTMF tones are for phone dial-in, which Tertulia has not', 'sendTones'),
  ...notPlanned('no phone dial-out or invitation service', 'invite'),
  ...notPlanned('second screen belongs to Jitsi’s Electron app', 'setSecondScreen', 'secondScreenSourceChanged',
    'secondScreenClosed', 'secondScreenError'),
  ...notPlanned('picture-in-picture belongs to Jitsi’s Electron app', 'showPiP', 'hidePiP', '_pipRequested',
    'pipEntered', 'pipLeft'),
  ...notPlanned('subtitles need a transcription service', 'setSubtitles', 'toggleSubtitles',
    'transcribingStatusChanged', 'transcriptionChunkReceived'),
  ...notPlanned('no shared video (YouTube) player', 'startShareVideo', 'stopShareVideo', 'audioOrVideoSharingToggled'),
  ...notPlanned('no whiteboard', 'toggleWhiteboard', 'whiteboardStatusChanged'),
  ...notPlanned('no shared documents (Etherpad)', 'getSharedDocumentUrl'),
  ...notPlanned('no file sharing', 'fileUploaded', 'fileDeleted'),
  ...notPlanned('no call-quality feedback service', 'submitFeedback', 'feedbackSubmitted', 'feedbackPromptDisplayed'),
  ...notPlanned('no face-landmark detection', 'faceLandmarkDetected'),
  ...notPlanned('Jitsi’s React Native proxy connection and external sharing internals', 'proxyConnectionEvent',
    'sendProxyConnectionEvent', 'externalShareSignal', 'sendExternalShareSignal'),
  ...notPlanned('XMPP specifics (messages from outside the meeting, Jitsi’s client log, data channels)',
    'nonParticipantMessageReceived', 'log', 'dataChannelOpened', 'dataChannelClosed'),
  ...notPlanned('Jitsi visitors (view-only audiences) do not exist in Tertulia', 'isVisitor'),
  ...notPlanned('describes Jitsi’s shards and regions', 'getDeploymentInfo'),
  ...notPlanned('Jitsi’s own bookkeeping for its React Native SDK', 'updateNumberOfParticipants'),
  ...notPlanned('browsers pick the speaker per page, the iframe cannot (yet) from outside', 'devices.audioOutput'),
  ...notPlanned('Jitsi’s setMeetingTimer({ duration, elapsed }) drives a meeting-length countdown Tertulia does not have; its header timer counts up from the meeting’s start (conferenceCreatedTimestamp)',
    'setMeetingTimer'),
  ...notPlanned('Tertulia’s toolbar never hides (Jitsi’s toolbarConfig.alwaysVisible always holds), so its visibility never changes',
    'toolbarVisibilityChanged'),
  ...arrives('asking another participant to switch camera: a consent prompt in their meeting and a message the server relays for it',
    'sendCameraFacingMode'),
]);

/** What the code implements, read from its own lists. */
export interface Implemented {
  commands: readonly string[];
  events: readonly string[];
  methods: readonly string[];
  configKeys: readonly string[];
  /** Config keys refused on purpose, with why (client-config.ts SERVER_ONLY_KEYS). */
  serverOnlyKeys: Readonly<Record<string, string>>;
}

export interface CoverageRow {
  kind: Kind;
  name: string;
  status: 'supported' | Absence;
}

const JITSI: Record<Kind, readonly string[]> = {
  command: JITSI_COMMANDS,
  event: JITSI_EVENTS,
  method: JITSI_METHODS,
  config: JITSI_CONFIG_KEYS,
};

/** Every Jitsi name with its status, and the problems that make the table untrustworthy. */
export function coverage(implemented: Implemented): { rows: CoverageRow[]; problems: string[] } {
  const supported: Record<Kind, readonly string[]> = {
    command: implemented.commands,
    event: implemented.events,
    method: implemented.methods,
    config: implemented.configKeys,
  };
  const rows: CoverageRow[] = [];
  const problems: string[] = [];
  for (const kind of Object.keys(JITSI) as Kind[]) {
    for (const name of supported[kind]) {
      if (!JITSI[kind].includes(name)) problems.push(`${kind} "${name}" is implemented but is not a Jitsi name`);
    }
    for (const name of JITSI[kind]) {
      const serverOnly = kind === 'config' ? implemented.serverOnlyKeys[name] : undefined;
      const status = supported[kind].includes(name) ? 'supported' : serverOnly ? { serverOnly } : ABSENT.get(name);
      if (status === undefined) problems.push(`${kind} "${name}" is neither implemented nor classified in jitsi-coverage.ts`);
      else rows.push({ kind, name, status });
    }
  }
  return { rows, problems };
}

const HEADINGS: Record<Kind, string> = { command: 'Commands', event: 'Events', method: 'Methods', config: 'Config keys' };

function describe(status: CoverageRow['status']): string {
  if (status === 'supported') return 'supported';
  if ('arrivesWith' in status) return `arrives with ${status.arrivesWith}`;
  if ('serverOnly' in status) return `server-side only: ${status.serverOnly}`;
  return `not planned: ${status.notPlanned}`;
}

/** The README section: a count per kind, then one table per kind. */
export function renderCoverage(rows: readonly CoverageRow[]): string {
  const parts: string[] = [];
  for (const kind of Object.keys(HEADINGS) as Kind[]) {
    const ofKind = rows.filter((row) => row.kind === kind);
    const count = ofKind.filter((row) => row.status === 'supported').length;
    parts.push(`**${HEADINGS[kind]}**: ${count} of ${ofKind.length} supported.`, '', '| Name | Status |', '| --- | --- |');
    for (const row of ofKind) parts.push(`| \`${row.name}\` | ${describe(row.status)} |`);
    parts.push('');
  }
  return parts.join('\n');
}
