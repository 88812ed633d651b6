import { RoomNotice, type RecordingMode } from '@tertulia/protocol';
import { useEffect, useState } from 'preact/hooks';

/** Often enough that a recording started while someone checks their camera shows before they join. */
const REFRESH_MS = 10_000;

/** What runs in `room` before joining (recording, live stream), from GET /api/room-notice/<room>; nothing until known. */
export function useRoomNotice(room: string): RecordingMode[] {
  const [recordings, setRecordings] = useState<RecordingMode[]>([]);
  useEffect(() => {
    let stopped = false;
    const refresh = async () => {
      try {
        const response = await fetch(`/api/room-notice/${encodeURIComponent(room)}`, { cache: 'no-store' });
        const notice = RoomNotice.safeParse(await response.json());
        // A failed check shows nothing rather than an error: the meeting says it again once joined.
        if (!stopped && notice.success) setRecordings(notice.data.recordings);
      } catch {
        /* offline or an older server: the notice in the meeting still comes */
      }
    };
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [room]);
  return recordings;
}
