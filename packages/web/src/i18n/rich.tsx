import { Fragment, type ComponentChildren } from 'preact';
import { language, template, type MessageKey } from './i18n.js';

/**
 * A message whose placeholders are filled with elements, for sentences that carry
 * markup ("You are no longer in <strong>{room}</strong>."). Call it while rendering
 * a component that uses `useI18n`, so it follows language changes.
 */
export function rich(key: MessageKey, parts: Record<string, ComponentChildren>): ComponentChildren[] {
  // Splitting on a captured group alternates text and placeholder names.
  return template(language(), key)
    .split(/\{(\w+)\}/)
    .map((piece, index) => (index % 2 === 0 ? piece : <Fragment key={index}>{parts[piece] ?? `{${piece}}`}</Fragment>));
}
