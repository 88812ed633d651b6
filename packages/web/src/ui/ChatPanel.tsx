import { Limits, type ChatMessage } from '@tertulia/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RemoteParticipant } from '../conference/conference.js';
import { useI18n } from '../i18n/i18n.js';
import type { Language } from '../i18n/languages.js';
import { SendIcon } from './icons.js';
import { linkify } from './linkify.js';
import { PanelHeader } from './PanelHeader.js';

interface Props {
  messages: ChatMessage[];
  selfId: string | undefined;
  participants: RemoteParticipant[];
  onSend: (text: string, to: string | undefined) => Promise<void>;
  onClose: () => void;
  /** A moderator stopped this person's messages: the form is replaced by a note saying so. */
  muted: boolean;
  /** Whom the next message goes to privately ('' : everyone); kept by the caller so the iframe API can choose it. */
  to: string;
  onTo: (participantId: string) => void;
}

const time = (timestamp: number, language: Language) => new Date(timestamp).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });

/** The meeting chat: group and private messages, newest at the bottom. */
export function ChatPanel({ messages, selfId, participants, onSend, onClose, muted, to, onTo: setTo }: Props) {
  const { t, language } = useI18n();
  const [text, setText] = useState('');
  const list = useRef<HTMLOListElement>(null);
  const nameOf = (id: string) => participants.find((p) => p.id === id)?.displayName || t('common.guest');

  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [messages.length]);

  // A private recipient who left can no longer be written to.
  useEffect(() => {
    if (to && !participants.some((p) => p.id === to)) setTo('');
  }, [participants, to]);

  const submit = (event: Event) => {
    event.preventDefault();
    const message = text.trim();
    if (!message) return;
    onSend(message, to || undefined).then(() => setText(''), () => undefined);
  };

  return (
    <aside class="chat" aria-labelledby="chat-title" data-testid="chat-panel">
      <PanelHeader titleId="chat-title" title={t('chat.title')} closeLabel={t('chat.close')} onClose={onClose} />
      <ol class="chat__messages" ref={list}>
        {messages.length === 0 && <li class="chat__empty">{t('chat.empty')}</li>}
        {messages.map((m) => {
          const mine = m.from === selfId;
          const privateNote = m.to ? (mine ? t('chat.privateTo', { name: nameOf(m.to) }) : t('chat.private')) : undefined;
          return (
            <li key={m.id} class={`chat__message${mine ? ' chat__message--mine' : ''}${m.to ? ' chat__message--private' : ''}`} data-testid="chat-message">
              <div class="chat__meta">
                <span class="chat__from">{mine ? t('common.you') : m.fromName || t('common.guest')}</span>
                {privateNote && <span class="chat__private">{privateNote}</span>}
                <time class="chat__time">{time(m.timestamp, language)}</time>
              </div>
              <p class="chat__text" data-testid="chat-text">
                {linkify(m.text)}
              </p>
            </li>
          );
        })}
      </ol>
      {muted ? (
        <p class="chat__muted" role="status" data-testid="chat-muted">
          {t('chat.muted')}
        </p>
      ) : (
        <form class="chat__form" onSubmit={submit}>
          <select class="select chat__to" aria-label={t('chat.sendTo')} value={to} data-testid="chat-recipient" onChange={(e) => setTo(e.currentTarget.value)}>
            <option value="">{t('chat.everyone')}</option>
            {participants.map((p) => (
              <option key={p.id} value={p.id}>
                {t('chat.privateOption', { name: p.displayName || t('common.guest') })}
              </option>
            ))}
          </select>
          <div class="chat__compose">
            <input
              class="input"
              aria-label={t('chat.message')}
              placeholder={t('chat.placeholder')}
              maxLength={Limits.maxChatLength}
              value={text}
              data-testid="chat-input"
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <button type="submit" class="icon-button icon-button--boxed" aria-label={t('chat.send')} data-testid="chat-send" disabled={!text.trim()}>
              <SendIcon />
            </button>
          </div>
        </form>
      )}
    </aside>
  );
}
