import type { Participant } from '@tertulia/protocol';
import type { CommandName, EventName, RequestName } from '@tertulia/iframe-api/wire';
import type { Conference, ConferenceState } from '../conference/conference.js';
import { localSubject } from '../ui/local-subject.js';
import { flag, mediaType, text } from './command-args.js';
import type { Handler } from './iframe-bridge.js';

type Kind = 'audio' | 'video';
type Emit = (name: EventName, data?: Record<string, unknown>) => void;

type ModerationCommand = Extract<
  CommandName,
  | 'password'
  | 'toggleLobby'
  | 'answerKnockingParticipant'
  | 'kickParticipant'
  | 'muteEveryone'
  | 'muteRemoteParticipant'
  | 'askToUnmute'
  | 'toggleModeration'
  | 'approveVideo'
  | 'rejectParticipant'
  | 'grantModerator'
  | 'endConference'
  | 'subject'
  | 'localSubject'
>;

const participantId = (value: unknown) => text(value, 'a participant id');

/** Jitsi's moderation commands, through the client's moderator requests (the server refuses them, FORBIDDEN, to anyone else). */
export const MODERATION_COMMANDS: Record<ModerationCommand, Handler<void>> = {
  password: (conference, [password]) => {
    const value = text(password, 'a password');
    // Asked for the password on the way in: this answers it. Inside: a moderator sets it ('' removes it).
    if (conference.state.prompt?.kind === 'password') return conference.submitCredentials({ roomPassword: value });
    return conference.moderate('setPassword', { password: value === '' ? null : value });
  },
  toggleLobby: (conference, [enabled]) => conference.moderate('setLobby', { enabled: flag(enabled, 'enabled') }),
  answerKnockingParticipant: (conference, [id, approve]) =>
    conference.moderate('answerKnock', { knockerId: participantId(id), approved: flag(approve, 'approved') }),
  kickParticipant: (conference, [id]) => conference.moderate('kick', { participantId: participantId(id) }),
  muteEveryone: (conference, [type]) => conference.moderate('muteAll', { kind: mediaType(type) }),
  muteRemoteParticipant: (conference, [id, type]) => conference.moderate('muteParticipant', { participantId: participantId(id), kind: mediaType(type) }),
  // Under audio moderation the server also approves the person's microphone, as Jitsi does.
  askToUnmute: (conference, [id]) => conference.moderate('askToUnmute', { participantId: participantId(id) }),
  toggleModeration: (conference, [enable, type]) => conference.moderate('setAvModeration', { kind: mediaType(type), enabled: flag(enable, 'enable') }),
  approveVideo: (conference, [id]) => conference.moderate('approveMedia', { participantId: participantId(id), kind: 'video', approved: true }),
  rejectParticipant: (conference, [id, type]) =>
    conference.moderate('approveMedia', { participantId: participantId(id), kind: mediaType(type), approved: false }),
  grantModerator: (conference, [id]) => conference.moderate('grantModerator', { participantId: participantId(id) }),
  endConference: (conference) => conference.moderate('endConference', {}),
  subject: (conference, [subject]) => conference.moderate('setSubject', { subject: text(subject, 'a subject') }),
  localSubject: (_, [subject]) => localSubject.set(text(subject, 'a subject')),
};

type ModerationRequest = Extract<RequestName, 'isModerationOn' | 'isParticipantForceMuted'>;

export const MODERATION_REQUESTS: Record<ModerationRequest, Handler<boolean>> = {
  isModerationOn: (conference, [type]) => conference.state.room?.avModeration[mediaType(type)] ?? false,
  isParticipantForceMuted: (conference, [id, type]) => {
    const kind = mediaType(type);
    const wanted = participantId(id);
    const { state } = conference;
    const participant = [state.self, ...state.participants].find((p) => p?.id === wanted);
    if (!participant) throw new Error(`no participant "${wanted}" in this meeting`);
    return Boolean(state.room?.avModeration[kind]) && (participant.forceMuted?.[kind] ?? false);
  },
};

/** Turns moderation changes (the room's, the lobby's, people's roles and mutes) into Jitsi's iframe events. */
export function forwardModerationEvents(conference: Conference, emit: Emit): void {
  const people = new Map<string, Participant>();
  let previous: ConferenceState = conference.state;

  conference.on('joined', () => {
    people.clear();
    for (const p of [conference.state.self, ...conference.state.participants]) if (p) people.set(p.id, p);
  });
  conference.on('participantJoined', (p) => people.set(p.id, p));
  conference.on('participantLeft', (p) => people.delete(p.id));
  conference.on('participantUpdated', (p) => {
    const before = people.get(p.id);
    people.set(p.id, p);
    if (!before) return;
    if (before.role !== p.role) emit('participantRoleChanged', { id: p.id, role: p.role });
    if (before.audioMuted !== p.audioMuted) emit('participantMuted', { id: p.id, isMuted: p.audioMuted, mediaType: 'audio' });
    if (before.videoMuted !== p.videoMuted) emit('participantMuted', { id: p.id, isMuted: p.videoMuted, mediaType: 'video' });
    // A moderator's answer, as Jitsi tells it: to moderators and to the person answered.
    const self = conference.state.self;
    if (!before.forceMuted || !p.forceMuted || !(self?.role === 'moderator' || self?.id === p.id)) return;
    for (const kind of ['audio', 'video'] as const) {
      if (before.forceMuted[kind] === p.forceMuted[kind]) continue;
      emit(p.forceMuted[kind] ? 'moderationParticipantRejected' : 'moderationParticipantApproved', { id: p.id, mediaType: kind });
    }
  });

  conference.on('change', (state) => {
    if (state.prompt !== previous.prompt && state.prompt?.kind === 'password') emit('passwordRequired');
    for (const knocker of state.knocking) {
      if (!previous.knocking.some((k) => k.id === knocker.id)) emit('knockingParticipant', { participant: { id: knocker.id, name: knocker.displayName } });
    }
    const room = state.room;
    if (room && room.subject !== (previous.room?.subject ?? '')) emit('subjectChange', { subject: room.subject });
    for (const kind of ['audio', 'video'] as const) {
      const enabled = room?.avModeration[kind] ?? false;
      if (enabled === (previous.room?.avModeration[kind] ?? false)) continue;
      emit('moderationStatusChanged', { mediaType: kind, enabled });
    }
    previous = state;
  });
}
