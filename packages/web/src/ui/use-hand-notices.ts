import { useEffect } from 'preact/hooks';
import type { Conference, Notice } from '../conference/conference.js';

/** A notice when someone else raises a hand (your own needs no telling; lowered hands pass silently). */
export function useHandNotices(conference: Conference, push: (notice: Notice) => void): void {
  useEffect(
    () =>
      conference.on('handChanged', (person) => {
        if (person.handRaisedAt === null || person.id === conference.state.self?.id) return;
        push({ kind: 'info', text: { key: 'hands.raised', params: { name: person.displayName || { key: 'hands.someone' } } } });
      }),
    [conference, push],
  );
}
