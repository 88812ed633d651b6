import type { FollowMeLayout } from '@tertulia/protocol';
import { useCallback, useMemo } from 'preact/hooks';
import type { Conference, ConferenceState, Notice } from '../conference/conference.js';
import { messageOf } from './format.js';
import type { FollowMe } from './use-call-view.js';

/**
 * "Follow me" for this person: the layout to follow when another moderator leads,
 * or, when this person leads, a way to send each change of their own layout.
 */
export function useFollowMe(conference: Conference, state: ConferenceState, push: (notice: Notice) => void): FollowMe {
  const followMe = state.room?.followMe ?? null;
  const selfId = state.self?.id;
  const leading = followMe !== null && followMe.moderatorId === selfId;
  const publish = useMemo(
    () =>
      leading
        ? (layout: FollowMeLayout) =>
            void conference.moderate('setFollowMe', { layout }).catch((error: unknown) => push({ kind: 'error', text: messageOf(error) }))
        : undefined,
    [leading, conference, push],
  );
  const onLocked = useCallback(() => push({ kind: 'info', text: { key: 'followMe.locked' } }), [push]);
  return { following: followMe && !leading ? followMe.layout : undefined, publish, onLocked };
}
