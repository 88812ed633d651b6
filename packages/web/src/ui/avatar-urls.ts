import type { Participant } from '@tertulia/protocol';
import { useEffect, useState } from 'preact/hooks';
import type { Conference } from '../conference/conference.js';
import { Emitter } from '../conference/emitter.js';

/**
 * Avatar pictures by participant id: everyone's as the server tells them (from their
 * token, or set by their page), and this browser's own as soon as it is set here.
 */
const urls = new Map<string, string>();

class AvatarChanges extends Emitter<{ change: [id: string] }> {
  announce(id: string): void {
    this.emit('change', id);
  }
}

/** Tells listeners (tiles here, the iframe bridge's avatarChanged) whose picture changed. */
export const avatarChanges = new AvatarChanges();

export function setAvatarUrl(participantId: string, url: string | undefined): void {
  if (url === undefined) urls.delete(participantId);
  else urls.set(participantId, url);
  avatarChanges.announce(participantId);
}

export function avatarUrlFor(participantId: string): string | undefined {
  return urls.get(participantId);
}

/** The picture to show for a participant, updated when it changes. */
export function useAvatarUrl(participantId: string): string | undefined {
  const [url, setUrl] = useState(() => urls.get(participantId));
  useEffect(() => {
    setUrl(urls.get(participantId));
    return avatarChanges.on('change', (id) => {
      if (id === participantId) setUrl(urls.get(participantId));
    });
  }, [participantId]);
  return url;
}

/** Keeps the pictures in step with what the server says of everyone in the meeting. */
export function followAvatars(conference: Conference): void {
  const take = (participant: Participant) => {
    if (participant.avatarUrl !== urls.get(participant.id)) setAvatarUrl(participant.id, participant.avatarUrl);
  };
  conference.on('joined', (self) => {
    for (const participant of conference.state.participants) take(participant);
    if (self.avatarUrl !== undefined) take(self);
  });
  conference.on('participantJoined', take);
  conference.on('participantUpdated', take);
}
