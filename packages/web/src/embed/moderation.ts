import type { Participant } from '@tertulia/protocol';
import type { CommandName, EventName, RequestName } from '@tertulia/iframe-api/wire';
import type { Conference, ConferenceState } from '../conference/conference.js';
import { Emitter } from '../conference/emitter.js';
import { localSubject } from '../ui/local-subject.js';
import { flag, mediaType, text } from './command-args.js';
import type { Handler } from './iframe-bridge.js';

type Kind = 'audio' | 'video';
type Emit = (name: EventName, data?: Record<string, unknown>) => void;

type OutcomeEvents = { approval: [participantId: string, kind: Kind, approved: boolean] };

/** What this page's own moderation commands did, reported as events once the server agreed. */
class Outcomes extends Emitter<OutcomeEvents> {
  announce<E extends keyof OutcomeEvents>(event: E, ...args: OutcomeEvents[E]): void {
    this.emit(event, ...args);
  }
}
const outcomes = new Outcomes();

/**
 * Who may unmute under A/V moderation, as far as this page knows: approvals it gave
 * and its own. The server tells no one else's, so isParticipantForceMuted is exact for
 * those and for moderators, and otherwise assumes "not approved".
 */
const approved: Record<Kind, Set<string>> = { audio: new Set(), video: new Set() };

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
  approveVideo: (conference, [id]) => answerMedia(conference, participantId(id), 'video', true),
  rejectParticipant: (conference, [id, type]) => answerMedia(conference, participantId(id), mediaType(type), false),
  grantModerator: (conference, [id]) => conference.moderate('grantModerator', { participantId: participantId(id) }),
  endConference: (conference) => conference.moderate('endConference', {}),
  subject: (conference, [subject]) => conference.moderate('setSubject', { subject: text(subject, 'a subject') }),
  localSubject: (_, [subject]) => localSubject.set(text(subject, 'a subject')),
};

async function answerMedia(conference: Conference, id: string, kind: Kind, approve: boolean): Promise<void> {
  await conference.moderate('approveMedia', { participantId: id, kind, approved: approve });
  outcomes.announce('approval', id, kind, approve);
}

type ModerationRequest = Extract<RequestName, 'isModerationOn' | 'isParticipantForceMuted'>;

export const MODERATION_REQUESTS: Record<ModerationRequest, Handler<boolean>> = {
  isModerationOn: (conference, [type]) => conference.state.room?.avModeration[mediaType(type)] ?? false,
  isParticipantForceMuted: (conference, [id, type]) => {
    const kind = mediaType(type);
    const wanted = participantId(id);
    const { state } = conference;
    const participant = [state.self, ...state.participants].find((p) => p?.id === wanted);
    if (!participant) throw new Error(`no participant "${wanted}" in this meeting`);
    return Boolean(state.room?.avModeration[kind]) && participant.role !== 'moderator' && !approved[kind].has(wanted);
  },
};

/** Turns moderation changes (the room's, the lobby's, people's roles and mutes) into Jitsi's iframe events. */
export function forwardModerationEvents(conference: Conference, emit: Emit): void {
  const people = new Map<string, Participant>();
  let previous: ConferenceState = conference.state;

  const approval = (id: string, kind: Kind, approve: boolean) => {
    if (approve) approved[kind].add(id);
    else approved[kind].delete(id);
    emit(approve ? 'moderationParticipantApproved' : 'moderationParticipantRejected', { id, mediaType: kind });
  };
  outcomes.on('approval', approval);
  conference.on('mediaApproval', (kind, approve) => {
    const self = conference.state.self;
    if (self) approval(self.id, kind, approve);
  });

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
      // Turning moderation on or off starts approvals over, on the server as here.
      approved[kind].clear();
      emit('moderationStatusChanged', { mediaType: kind, enabled });
    }
    previous = state;
  });
}
