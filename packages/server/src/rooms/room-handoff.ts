import { ChatMessage, Role, RoomInfo } from '@tertulia/protocol';
import { z } from 'zod';
import type { PollRecord } from './polls.js';

/*
 * A meeting as one signalling node hands it to another when it drains: what the meeting
 * is made of beyond its connections and media, which the browsers rebuild when they
 * resume their sessions on the new node. Read back through the schema: it crossed Redis.
 */

const ParticipantRecord = z.strictObject({
  id: z.string(),
  sessionToken: z.string(),
  joinedAt: z.number(),
  displayName: z.string(),
  role: Role,
  handRaisedAt: z.number().nullable(),
  recordingLocally: z.boolean(),
  chatMuted: z.boolean(),
  avatarUrl: z.string().optional(),
  region: z.string().optional(),
  features: z.array(z.string()),
});
export type ParticipantRecord = z.infer<typeof ParticipantRecord>;

const Vote = z.strictObject({ option: z.number().int().min(0), displayName: z.string() }).nullable();
const PollRecordSchema: z.ZodType<PollRecord> = z.strictObject({
  id: z.string(),
  question: z.string(),
  options: z.array(z.string()),
  anonymous: z.boolean(),
  createdBy: z.string(),
  createdByName: z.string(),
  closed: z.boolean(),
  counts: z.array(z.number().int().min(0)),
  voters: z.array(z.tuple([z.string(), Vote])),
});

export const RoomHandoff = z.strictObject({
  name: z.string(),
  startedAt: z.number(),
  subject: z.string(),
  lobbyEnabled: z.boolean(),
  password: z.string().nullable(),
  e2ee: z.boolean(),
  followMe: RoomInfo.shape.followMe,
  avModeration: z.strictObject({ audio: z.boolean(), video: z.boolean() }),
  /** Who a moderator allowed to unmute while audio/video moderation is on. */
  approved: z.strictObject({ audio: z.array(z.string()), video: z.array(z.string()) }),
  chat: z.array(ChatMessage),
  polls: z.array(PollRecordSchema),
  /** Everyone in the meeting; people in breakout rooms come back to the main room. */
  participants: z.array(ParticipantRecord),
});
export type RoomHandoff = z.infer<typeof RoomHandoff>;
