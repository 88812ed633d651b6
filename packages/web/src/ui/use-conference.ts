import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Conference, ConferenceState, Notice } from '../conference/conference.js';
import { noticeShown } from './notice-filter.js';

/** The conference's state, re-rendering on every change. */
export function useConferenceState(conference: Conference): ConferenceState {
  const [state, setState] = useState(conference.state);
  useEffect(() => {
    setState(conference.state);
    return conference.on('change', setState);
  }, [conference]);
  return state;
}

export interface ShownNotice extends Notice {
  id: number;
}

const NOTICE_MS = 4_000;
const MAX_NOTICES = 4;
let nextNoticeId = 1;

const sameNotice = (a: Notice, b: Notice) => a.kind === b.kind && JSON.stringify(a.text) === JSON.stringify(b.text);

/** Toasts from the conference's `notice` events (and the UI's own), each gone after a few seconds. */
export function useNotices(conference: Conference) {
  const [notices, setNotices] = useState<ShownNotice[]>([]);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => setNotices((list) => list.filter((n) => n.id !== id)), []);

  const push = useCallback(
    (notice: Notice) => {
      if (!noticeShown(notice)) return;
      const id = nextNoticeId++;
      // The same words again while they still show (a burst of refused reactions, say) add nothing.
      setNotices((list) => (list.some((n) => sameNotice(n, notice)) ? list : [...list.slice(-(MAX_NOTICES - 1)), { ...notice, id }]));
      // One with a link (a recording's download) stays until dismissed: it takes longer than a glance to use.
      if (notice.link || notice.sticky) return;
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        dismiss(id);
      }, NOTICE_MS);
      timers.current.add(timer);
    },
    [dismiss],
  );

  useEffect(() => conference.on('notice', push), [conference, push]);
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach(clearTimeout);
  }, []);

  return { notices, push, dismiss };
}
