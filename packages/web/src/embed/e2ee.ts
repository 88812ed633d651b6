import type { CommandName } from '@tertulia/iframe-api/wire';
import { flag } from './command-args.js';
import { mediaKeyOf } from './e2ee-options.js';
import type { Handler } from './iframe-bridge.js';

type E2eeCommand = Extract<CommandName, 'toggleE2EE' | 'setMediaEncryptionKey'>;

/**
 * Jitsi's end-to-end encryption commands: toggleE2EE turns it on or off for the meeting
 * (moderators), setMediaEncryptionKey gives the integrator's own key, which everyone
 * given it then sends and decrypts under (the `e2eeKey` option arrives as this command too).
 */
export const E2EE_COMMANDS: Record<E2eeCommand, Handler<void>> = {
  toggleE2EE: (conference, [enabled]) => conference.moderate('setE2ee', { enabled: flag(enabled, 'whether E2EE is on') }),
  setMediaEncryptionKey: (conference, [keyInfo]) => {
    const { key, index } = mediaKeyOf(keyInfo);
    conference.setMediaEncryptionKey(key, index);
  },
};
