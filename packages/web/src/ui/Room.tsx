import { useEffect, useRef, useState } from 'preact/hooks';
import type { Conference } from '../conference/conference.js';
import { loadSession } from '../conference/session-store.js';
import type { ClientConfig } from '../config/client-config.js';
import { loadDisplayName } from './display-name.js';
import { Meeting } from './Meeting.js';
import { Prejoin, type PrejoinChoice } from './Prejoin.js';

interface Props {
  room: string;
  conference: Conference;
  config: ClientConfig;
}

/**
 * A room's page: the prejoin, then the meeting. The prejoin is skipped when the
 * config says so, and on a reload of a tab that was already in the meeting.
 */
export function Room({ room, conference, config }: Props) {
  const [choice, setChoice] = useState<PrejoinChoice | undefined>(() => {
    const displayName = (config.displayName ?? loadDisplayName()).trim();
    // requireDisplayName keeps the prejoin (and its name field) when there is no name to join with.
    const skipPrejoin = !config.prejoinEnabled && !(config.requireDisplayName && displayName === '');
    return skipPrejoin || loadSession(room) !== undefined
      ? {
          displayName,
          audioMuted: config.startWithAudioMuted,
          videoMuted: config.startWithVideoMuted,
        }
      : undefined;
  });
  const joined = useRef(false);

  useEffect(() => {
    document.title = `${room} · Tertulia`;
  }, [room]);

  useEffect(() => {
    if (!choice || joined.current) return;
    joined.current = true;
    // A failed join shows in the conference state; nothing more to do with the rejection here.
    const jwt = new URLSearchParams(location.search).get('jwt') ?? undefined;
    conference.join({ room, ...choice, jwt, iceTransportPolicy: config.iceTransportPolicy }).catch(() => undefined);
  }, [choice, conference, config, room]);

  if (!choice) return <Prejoin room={room} config={config} onJoin={setChoice} />;
  return <Meeting conference={conference} displayName={choice.displayName} subject={config.subject} />;
}
