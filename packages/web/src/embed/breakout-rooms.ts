import type { Participant } from '@tertulia/protocol';
import type { CommandName } from '@tertulia/iframe-api/wire';
import type { ConferenceState } from '../conference/conference.js';
import type { Handler } from './iframe-bridge.js';

interface RoomView {
  id: string;
  name: string;
  isMainRoom: boolean;
  participants: Array<{ id: string; displayName: string; role: string }>;
}

/**
 * The meeting's rooms as this person knows them: the main room (its name is its id)
 * and each breakout room. People in this person's own room come with their roles; in
 * the others, only names (the server shares no more), and the main room's people are
 * unknown from a breakout room.
 */
export function roomsOf(state: ConferenceState): RoomView[] {
  const here = [state.self, ...state.participants]
    .filter((p): p is Participant => p !== undefined)
    .map((p) => ({ id: p.id, displayName: p.displayName, role: p.role }));
  const current = state.room?.breakout?.id;
  return [
    { id: state.roomName, name: state.roomName, isMainRoom: true, participants: current ? [] : here },
    ...state.breakoutRooms.map((room) => ({
      id: room.id,
      name: room.name,
      isMainRoom: false,
      participants: room.id === current ? here : room.participants.map((p) => ({ ...p, role: 'participant' })),
    })),
  ];
}

/** Jitsi's `listBreakoutRooms` and `breakoutRoomsUpdated` shape: rooms keyed by id, their participants too. */
export function jitsiBreakoutRooms(state: ConferenceState): Record<string, unknown> {
  return Object.fromEntries(
    roomsOf(state).map((room) => [
      room.id,
      {
        id: room.id,
        jid: room.id,
        name: room.name,
        isMainRoom: room.isMainRoom,
        participants: Object.fromEntries(room.participants.map((p) => [p.id, { jid: p.id, role: p.role, displayName: p.displayName }])),
      },
    ]),
  );
}

type BreakoutCommand = Extract<
  CommandName,
  'addBreakoutRoom' | 'autoAssignToBreakoutRooms' | 'closeBreakoutRoom' | 'removeBreakoutRoom' | 'joinBreakoutRoom' | 'sendParticipantToRoom'
>;

/** Jitsi's breakout room commands, for the iframe bridge's command table. */
export const BREAKOUT_COMMANDS: Record<BreakoutCommand, Handler<void>> = {
  addBreakoutRoom: (conference, [name]) =>
    conference.moderate('createBreakoutRoom', typeof name === 'string' && name.trim() ? { name } : {}),
  autoAssignToBreakoutRooms: (conference) => conference.moderate('autoAssignBreakoutRooms', {}),
  // Jitsi's "close" sends one room's people back to the main room; the room stays.
  closeBreakoutRoom: (conference, [roomId]) => conference.moderate('closeBreakoutRooms', { roomId: roomIdOf(roomId) }),
  removeBreakoutRoom: (conference, [roomId]) => conference.moderate('removeBreakoutRoom', { roomId: roomIdOf(roomId) }),
  joinBreakoutRoom: (conference, [roomId]) => conference.joinBreakoutRoom(targetOf(conference.state, roomId)),
  sendParticipantToRoom: (conference, [participantId, roomId]) => {
    if (typeof participantId !== 'string') throw new Error('expected a participant id (a string)');
    return conference.moderate('sendToBreakoutRoom', { participantId, roomId: targetOf(conference.state, roomId) });
  },
};

function roomIdOf(value: unknown): string {
  if (typeof value !== 'string' || !value) throw new Error('expected a breakout room id (a string)');
  return value;
}

/** A breakout room's id, or null for the main room (no id, or the main room's own id from `listBreakoutRooms`). */
function targetOf(state: ConferenceState, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const id = roomIdOf(value);
  return id === state.roomName && !state.breakoutRooms.some((room) => room.id === id) ? null : id;
}
