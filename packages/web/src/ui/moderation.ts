import type { RequestData } from '@tertulia/protocol';
import type { ModerationMethod } from '../conference/conference.js';
import type { Text } from '../i18n/i18n.js';

/**
 * Runs a moderator action. Refusals are shown as an error notice; `success`,
 * when given, as an info notice. Resolves to whether the server accepted it.
 */
export type Moderate = <M extends ModerationMethod>(method: M, data: RequestData<M>, success?: Text) => Promise<boolean>;
