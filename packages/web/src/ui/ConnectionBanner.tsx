import type { ConnectionState } from '../conference/conference.js';

/** Tells people the call is being set up or restored, over the tiles so they stay visible. */
export function ConnectionBanner({ connection }: { connection: ConnectionState }) {
  if (connection === 'reconnecting') {
    return (
      <div class="banner" role="status" data-testid="reconnecting">
        <span class="spinner" aria-hidden="true" />
        Reconnecting…
      </div>
    );
  }
  if (connection === 'idle' || connection === 'connecting') {
    return (
      <div class="banner banner--quiet" role="status" data-testid="connecting">
        <span class="spinner" aria-hidden="true" />
        Joining…
      </div>
    );
  }
  return null;
}
