import { showsButton, type ToolbarButtonName } from '../config/client-config.js';
import { pageConfig } from '../config/page-config.js';

/**
 * Jitsi's toolbar button names (its `toolbarButtons` list), by the test id of
 * Tertulia's button. Polls live in Jitsi's chat and breakout rooms in its
 * participants pane, so those buttons follow them.
 */
export const JITSI_BUTTON_NAME: Readonly<Record<string, ToolbarButtonName>> = {
  'toggle-mic': 'microphone',
  'toggle-camera': 'camera',
  'toggle-screen': 'desktop',
  'toggle-hand': 'raisehand',
  reactions: 'reactions',
  'toggle-chat': 'chat',
  'toggle-polls': 'chat',
  'toggle-speaker-stats': 'stats',
  'toggle-participants': 'participants-pane',
  'toggle-breakouts': 'participants-pane',
  'toggle-tile-view': 'tileview',
  recording: 'recording',
  moderation: 'security',
  'device-settings': 'settings',
  leave: 'hangup',
};

/** Whether the page's config lets the meeting toolbar show this button; buttons outside it (prejoin) always show. */
export function toolbarButtonShown(testId: string): boolean {
  const config = pageConfig();
  const name = JITSI_BUTTON_NAME[testId];
  if (name === undefined) return true;
  if ((name === 'reactions' && config.disableReactions) || (name === 'tileview' && config.disableTileView)) return false;
  if (testId === 'toggle-polls' && config.disablePolls) return false;
  if (testId === 'toggle-participants' && !config.participantsPaneEnabled) return false;
  return showsButton(config, name);
}
