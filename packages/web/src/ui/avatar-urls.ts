import { useEffect, useState } from 'preact/hooks';
import { Emitter } from '../conference/emitter.js';

/**
 * Avatar pictures by participant id. Only this browser's own picture is known
 * (from `userInfo.avatarURL` or the iframe API's `avatarUrl`): the server does not
 * pass avatars between participants, so everyone else shows initials.
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
