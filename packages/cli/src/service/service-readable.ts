import { constants, statSync } from 'node:fs';
import { dirname, sep } from 'node:path';

/** Directories ProtectHome=yes hides from the service. */
const HIDDEN_ROOTS = ['/home', '/root', '/run/user'];

/**
 * Why the service user could not run `path` (already a real path), or undefined when it can:
 * the sandbox hides home directories, and every directory on the way needs o+x (the
 * service user is neither the owner nor in the group) and the file itself o+r.
 */
export function unreadableByService(path: string): string | undefined {
  const hiddenUnder = HIDDEN_ROOTS.find((root) => path === root || path.startsWith(root + sep));
  if (hiddenUnder) return `${path} is under ${hiddenUnder}, which the service's sandbox (ProtectHome=yes) hides`;
  if (!(statSync(path).mode & constants.S_IROTH)) return `${path} is not readable by other users`;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (!(statSync(dir).mode & constants.S_IXOTH)) return `the directory ${dir} cannot be entered by other users`;
    if (dir === dirname(dir)) return undefined;
  }
}
