import { useState } from 'preact/hooks';
import { hueOf, initialsOf } from './format.js';
import { useAvatarUrl } from './avatar-urls.js';
import { PersonIcon } from './icons.js';

/** The person's picture, or initials on a coloured disc (also when the picture fails to load), shown when a participant has no camera. */
export function Avatar({ id, name }: { id: string; name: string }) {
  const initials = initialsOf(name);
  const url = useAvatarUrl(id);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  const picture = url !== undefined && failed !== url;
  return (
    <div class="avatar" style={{ '--avatar-hue': String(hueOf(id)) }} aria-hidden="true">
      <span class="avatar__disc">
        {picture ? <img class="avatar__picture" src={url} alt="" data-testid="avatar-picture" onError={() => setFailed(url)} /> : initials || <PersonIcon />}
      </span>
    </div>
  );
}
