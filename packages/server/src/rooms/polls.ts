import { randomBytes } from 'node:crypto';
import { ErrorCode, Limits, ProtocolError, type Poll, type RoomInfo } from '@tertulia/protocol';
import type { Participant } from './participant.js';

/** The token feature (Jitsi's `context.features`) that lets a participant create polls whatever POLL_CREATORS says. */
export const CREATE_POLLS_FEATURE = 'create-polls';

interface StoredPoll {
  readonly id: string;
  readonly question: string;
  readonly options: readonly string[];
  readonly anonymous: boolean;
  readonly createdBy: string;
  readonly createdByName: string;
  closed: boolean;
  /** Votes per option. */
  readonly counts: number[];
  /**
   * Who has voted. In a named poll each voter's option and name (shown to everyone);
   * in an anonymous poll only the voter's id, with `null`, which is all it takes to
   * refuse a second vote: the choice itself goes into `counts` and is not kept.
   */
  readonly voters: Map<string, { option: number; displayName: string } | null>;
}

/** A poll as plain data. */
export type PollRecord = Omit<StoredPoll, 'voters'> & { voters: Array<[string, { option: number; displayName: string } | null]> };

/**
 * A room's polls, in memory for the room's life. Everyone sees live counts; names
 * only in polls that are not anonymous. Each change goes to every participant as
 * their own view (which includes whether they voted).
 */
export class RoomPolls {
  readonly #polls = new Map<string, StoredPoll>();

  constructor(
    private readonly creators: RoomInfo['pollCreators'],
    /** Who hears about changes: the room's participants. */
    private readonly audience: () => Participant[],
  ) {}

  /** The polls so far, oldest first, as `viewer` sees them. */
  viewsFor(viewer: Participant): Poll[] {
    return [...this.#polls.values()].map((poll) => view(poll, viewer.id));
  }

  mayCreate(participant: Participant): boolean {
    return participant.role === 'moderator' || this.creators === 'everyone' || participant.features.has(CREATE_POLLS_FEATURE);
  }

  create(by: Participant, question: string, options: string[], anonymous: boolean): Poll {
    if (!this.mayCreate(by)) throw new ProtocolError(ErrorCode.Forbidden, 'Only a moderator can create polls in this meeting.');
    if (new Set(options).size !== options.length) throw new ProtocolError(ErrorCode.InvalidRequest, 'Each option of a poll must be different.');
    if (this.#polls.size >= Limits.maxPollsPerRoom) {
      throw new ProtocolError(ErrorCode.InvalidRequest, `This meeting already has ${Limits.maxPollsPerRoom} polls, the most it can keep.`);
    }
    const poll: StoredPoll = {
      id: randomBytes(6).toString('hex'),
      question,
      options,
      anonymous,
      createdBy: by.id,
      createdByName: by.displayName,
      closed: false,
      counts: options.map(() => 0),
      voters: new Map(),
    };
    this.#polls.set(poll.id, poll);
    this.#share(poll);
    return view(poll, by.id);
  }

  /** One vote per person; a second vote, a closed poll or an option the poll lacks is refused and changes nothing. */
  vote(voter: Participant, pollId: string, option: number): void {
    const poll = this.#require(pollId);
    if (poll.closed) throw new ProtocolError(ErrorCode.InvalidRequest, 'This poll is closed and takes no more votes.');
    if (option >= poll.options.length) throw new ProtocolError(ErrorCode.InvalidRequest, `This poll has no option ${option}.`);
    if (poll.voters.has(voter.id)) throw new ProtocolError(ErrorCode.InvalidRequest, 'You have already voted in this poll.');
    poll.voters.set(voter.id, poll.anonymous ? null : { option, displayName: voter.displayName });
    poll.counts[option]! += 1;
    this.#share(poll);
  }

  /** Everything kept of the polls, as plain data (a meeting handed over to another node). */
  records(): PollRecord[] {
    return [...this.#polls.values()].map((poll) => ({ ...poll, options: [...poll.options], counts: [...poll.counts], voters: [...poll.voters] }));
  }

  restore(records: readonly PollRecord[]): void {
    this.#polls.clear();
    for (const record of records.slice(0, Limits.maxPollsPerRoom)) this.#polls.set(record.id, { ...record, voters: new Map(record.voters) });
  }

  /** Its creator or a moderator closes a poll; closing it again changes nothing. */
  close(by: Participant, pollId: string): void {
    const poll = this.#require(pollId);
    if (by.id !== poll.createdBy && by.role !== 'moderator') {
      throw new ProtocolError(ErrorCode.Forbidden, 'Only the person who created this poll or a moderator can close it.');
    }
    if (poll.closed) return;
    poll.closed = true;
    this.#share(poll);
  }

  #require(pollId: string): StoredPoll {
    const poll = this.#polls.get(pollId);
    if (!poll) throw new ProtocolError(ErrorCode.NotFound, 'There is no such poll in this meeting.');
    return poll;
  }

  #share(poll: StoredPoll): void {
    for (const participant of this.audience()) participant.notify('pollUpdated', { poll: view(poll, participant.id) });
  }
}

/** A poll as one participant sees it. */
function view(poll: StoredPoll, viewerId: string): Poll {
  const named = [...poll.voters].flatMap(([id, vote]) => (vote ? [{ id, ...vote }] : []));
  return {
    id: poll.id,
    question: poll.question,
    options: poll.options.map((text, index) => ({
      text,
      votes: poll.counts[index]!,
      voters: named.filter((v) => v.option === index).map(({ id, displayName }) => ({ id, displayName })),
    })),
    anonymous: poll.anonymous,
    createdBy: poll.createdBy,
    createdByName: poll.createdByName,
    closed: poll.closed,
    myVote: poll.voters.get(viewerId)?.option ?? null,
    voted: poll.voters.has(viewerId),
  };
}
