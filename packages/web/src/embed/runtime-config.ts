import { Limits } from '@tertulia/protocol';
import type { CommandName } from '@tertulia/iframe-api/wire';
import { withConfigOverwrite } from '../config/client-config.js';
import { pageConfig, setPageConfig } from '../config/page-config.js';
import { setLanguage } from '../i18n/i18n.js';
import { localNames } from '../ui/local-names.js';
import { configureNotifyClicks } from '../ui/notify-clicks.js';
import { text } from './command-args.js';
import type { Handler } from './iframe-bridge.js';

type RuntimeConfigCommand = Extract<CommandName, 'overwriteConfig' | 'overwriteNames'>;

/** As many names as a meeting has people, with room to spare; longer lists are refused. */
const MAX_NAMES = 1_000;

/**
 * What the embedding page changes while the meeting runs: config keys (shown at once
 * where they show; the way-in ones, like the prejoin or starting muted, matter only
 * before joining) and local-only names for other people.
 */
export const RUNTIME_CONFIG_COMMANDS: Record<RuntimeConfigCommand, Handler<void>> = {
  overwriteConfig: (_, [overwrite]) => {
    const before = pageConfig();
    const config = withConfigOverwrite(before, overwrite);
    setPageConfig(config);
    if (config.language && config.language !== before.language) setLanguage(config.language, { remember: false });
    configureNotifyClicks(config.buttonsWithNotifyClick, config.participantMenuButtonsWithNotifyClick);
  },
  overwriteNames: (_, [names]) => localNames.overwrite(namesOf(names)),
};

/** Jitsi's `[{ id, name }]`, all checked before any is taken. */
function namesOf(value: unknown): Array<{ id: string; name: string }> {
  if (!Array.isArray(value) || value.length > MAX_NAMES) throw new Error(`expected a list of at most ${MAX_NAMES} { id, name }`);
  return value.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) throw new Error('expected { id, name } entries');
    const { id, name } = entry as Record<string, unknown>;
    const checked = { id: text(id, 'a participant id'), name: text(name, 'a name') };
    if (checked.name.length > Limits.maxDisplayNameLength) throw new Error(`expected names of at most ${Limits.maxDisplayNameLength} characters`);
    return checked;
  });
}
