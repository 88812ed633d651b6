import type { ConnectionState } from '../conference/conference.js';
import { useI18n } from '../i18n/i18n.js';

/** Tells people the call is being set up or restored, over the tiles so they stay visible. */
export function ConnectionBanner({ connection }: { connection: ConnectionState }) {
  const { t } = useI18n();
  if (connection === 'reconnecting') {
    return (
      <div class="banner" role="status" data-testid="reconnecting">
        <span class="spinner" aria-hidden="true" />
        {t('call.reconnecting')}
      </div>
    );
  }
  if (connection === 'idle' || connection === 'connecting') {
    return (
      <div class="banner banner--quiet" role="status" data-testid="connecting">
        <span class="spinner" aria-hidden="true" />
        {t('call.joining')}
      </div>
    );
  }
  return null;
}
