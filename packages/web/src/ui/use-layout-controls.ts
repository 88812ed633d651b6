import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { pageConfig } from '../config/page-config.js';
import { meetingControls, meetingEvents, useAnnounced, type HostNotification } from './meeting-controls.js';

/** What the embedding page set for stage view: the filmstrip shown or not and its tile width, the large video's size. */
export interface StageLayout {
  filmstripVisible: boolean;
  filmstripWidth: number | undefined;
  largeSize: { width: number; height: number } | undefined;
}

/** Jitsi's named timeouts (its notification durations), in milliseconds; 'sticky' stays until hidden. */
const TIMEOUT_MS: Record<string, number | undefined> = { short: 2_500, medium: 5_000, long: 10_000, sticky: undefined };

export function timeoutOf(value: unknown): number | undefined {
  if (typeof value === 'number' && value > 0) return value;
  return typeof value === 'string' && value in TIMEOUT_MS ? TIMEOUT_MS[value] : TIMEOUT_MS['short'];
}

/**
 * Stage-view sizes and toasts driven by the embedding page (the iframe API's
 * toggleFilmStrip, resizeFilmStrip, resizeLargeVideo, showNotification and
 * hideNotification), and the events it is told of in return.
 */
export function useLayoutControls(largeKey: string | undefined) {
  const [layout, setLayout] = useState<StageLayout>({ filmstripVisible: !pageConfig().filmstripDisabled, filmstripWidth: undefined, largeSize: undefined });
  const [notifications, setNotifications] = useState<HostNotification[]>([]);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const hideNotification = useCallback((uid: string) => {
    clearTimeout(timers.current.get(uid));
    timers.current.delete(uid);
    setNotifications((list) => list.filter((n) => n.uid !== uid));
  }, []);

  useEffect(() => {
    meetingControls.toggleFilmStrip = () => setLayout((l) => ({ ...l, filmstripVisible: !l.filmstripVisible }));
    meetingControls.resizeFilmStrip = (width) => setLayout((l) => ({ ...l, filmstripWidth: width }));
    meetingControls.resizeLargeVideo = (width, height) => setLayout((l) => ({ ...l, largeSize: { width, height } }));
    meetingControls.hideNotification = hideNotification;
    meetingControls.showNotification = (notification) => {
      hideNotification(notification.uid);
      setNotifications((list) => [...list, notification]);
      if (notification.timeout !== undefined) timers.current.set(notification.uid, setTimeout(() => hideNotification(notification.uid), notification.timeout));
      meetingEvents.announce('notificationTriggered', notification);
    };
  }, [hideNotification]);
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach(clearTimeout);
  }, []);

  useAnnounced('filmstripDisplayChanged', layout.filmstripVisible);
  const previousLarge = useRef(largeKey);
  useEffect(() => {
    if (previousLarge.current === largeKey) return;
    previousLarge.current = largeKey;
    meetingEvents.announce('largeVideoChanged');
  }, [largeKey]);

  return { layout, notifications, hideNotification };
}
