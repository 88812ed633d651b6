import type { Poll } from '@tertulia/protocol';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Conference, Notice } from '../conference/conference.js';
import { messageOf } from './format.js';

/** What the polls panel can ask for; each resolves to whether the server agreed (a refusal is shown as a notice). */
export interface PollActions {
  create: (question: string, options: string[], anonymous: boolean) => Promise<boolean>;
  vote: (pollId: string, option: number) => Promise<boolean>;
  close: (pollId: string) => Promise<boolean>;
}

export function usePollActions(conference: Conference, push: (notice: Notice) => void): PollActions {
  return useMemo(() => {
    const run = (action: Promise<void>) =>
      action.then(
        () => true,
        (error: unknown) => {
          push({ kind: 'error', text: messageOf(error) });
          return false;
        },
      );
    return {
      create: (question, options, anonymous) => run(conference.createPoll(question, options, anonymous)),
      vote: (pollId, option) => run(conference.votePoll(pollId, option)),
      close: (pollId) => run(conference.closePoll(pollId)),
    };
  }, [conference, push]);
}

/** How many polls by others arrived since the panel was last open (every poll counts as seen while it is open). */
export function useUnseenPolls(polls: Poll[], open: boolean, selfId: string | undefined): number {
  const [seen, setSeen] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (open && polls.some((p) => !seen.has(p.id))) setSeen(new Set(polls.map((p) => p.id)));
  }, [open, polls, seen]);
  return polls.filter((p) => !seen.has(p.id) && p.createdBy !== selfId).length;
}
