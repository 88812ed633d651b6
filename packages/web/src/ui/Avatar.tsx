import { hueOf, initialsOf } from './format.js';
import { PersonIcon } from './icons.js';

/** Initials on a coloured disc, shown when a participant has no camera. */
export function Avatar({ id, name }: { id: string; name: string }) {
  const initials = initialsOf(name);
  return (
    <div class="avatar" style={{ '--avatar-hue': String(hueOf(id)) }} aria-hidden="true">
      <span class="avatar__disc">{initials || <PersonIcon />}</span>
    </div>
  );
}
