import { Limits } from '@tertulia/protocol';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import { CloseIcon } from './icons.js';

interface Props {
  /** Resolves once the server answered; the polls panel closes the form when the poll was created. */
  onCreate: (question: string, options: string[], anonymous: boolean) => Promise<unknown>;
}

const MIN_OPTIONS = 2;

/** A new poll: a question, two to ten options, and whether votes are anonymous. */
export function PollForm({ onCreate }: Props) {
  const { t } = useI18n();
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState<string[]>(['', '']);
  const [anonymous, setAnonymous] = useState(false);
  const [busy, setBusy] = useState(false);
  const trimmed = options.map((o) => o.trim());
  const valid = question.trim() !== '' && trimmed.every(Boolean) && new Set(trimmed).size === trimmed.length;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    await onCreate(question.trim(), trimmed, anonymous);
    // Refused: the form stays filled in for another try.
    setBusy(false);
  };

  const setOption = (index: number, value: string) => setOptions((all) => all.map((o, i) => (i === index ? value : o)));

  return (
    <form class="poll-form" onSubmit={submit} data-testid="poll-form">
      <label class="field">
        <span class="field__label">{t('polls.question')}</span>
        <input
          class="input"
          data-testid="poll-question"
          maxLength={Limits.maxPollQuestionLength}
          value={question}
          onInput={(e) => setQuestion(e.currentTarget.value)}
        />
      </label>
      <ol class="poll-form__options">
        {options.map((option, index) => (
          <li key={index} class="poll-form__option">
            <input
              class="input"
              aria-label={t('polls.option', { number: index + 1 })}
              placeholder={t('polls.option', { number: index + 1 })}
              data-testid="poll-option-input"
              maxLength={Limits.maxPollOptionLength}
              value={option}
              onInput={(e) => setOption(index, e.currentTarget.value)}
            />
            <button
              type="button"
              class="icon-button"
              aria-label={t('polls.removeOption', { number: index + 1 })}
              title={t('polls.removeOption', { number: index + 1 })}
              disabled={options.length <= MIN_OPTIONS}
              onClick={() => setOptions((all) => all.filter((_, i) => i !== index))}
            >
              <CloseIcon />
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        class="button button--small"
        data-testid="poll-add-option"
        disabled={options.length >= Limits.maxPollOptions}
        onClick={() => setOptions((all) => [...all, ''])}
      >
        {t('polls.addOption')}
      </button>
      <label class="poll-form__check">
        <input type="checkbox" data-testid="poll-anonymous" checked={anonymous} onChange={(e) => setAnonymous(e.currentTarget.checked)} />
        {t('polls.anonymous')}
      </label>
      <button type="submit" class="button button--primary" data-testid="poll-create" disabled={!valid || busy}>
        {t('polls.create')}
      </button>
    </form>
  );
}
