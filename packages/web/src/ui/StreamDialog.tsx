import { useState } from 'preact/hooks';
import { streamUrlOf } from '../conference/stream-url.js';
import { useI18n } from '../i18n/i18n.js';
import { Dialog } from './Dialog.js';

interface Props {
  /** Called with the RTMP(S) address to stream to. */
  onStart: (streamUrl: string) => void;
  onClose: () => void;
}

/** Where to stream the meeting live: a whole rtmp(s):// address, or a YouTube stream key. */
export function StreamDialog({ onStart, onClose }: Props) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);

  const submit = (event: Event) => {
    event.preventDefault();
    const url = streamUrlOf(value);
    if (!url) return setInvalid(true);
    onStart(url);
  };

  return (
    <Dialog className="stream-dialog" title={t('recording.streamDialog.title')} closeLabel={t('recording.streamDialog.close')} testId="stream-dialog" describedBy="stream-hint" onClose={onClose}>
      <form class="stream-dialog__form" onSubmit={submit}>
        <div class="field">
          <label class="field__label" for="stream-key">
            {t('recording.streamDialog.label')}
          </label>
          <input
            id="stream-key"
            class="input"
            data-testid="stream-key-input"
            value={value}
            autocomplete="off"
            spellcheck={false}
            aria-invalid={invalid ? 'true' : undefined}
            aria-errormessage={invalid ? 'stream-key-error' : undefined}
            onInput={(event) => {
              setValue(event.currentTarget.value);
              setInvalid(false);
            }}
          />
          <p class="stream-dialog__hint" id="stream-hint">
            {t('recording.streamDialog.hint')}
          </p>
          {invalid && (
            <p class="field__error" id="stream-key-error" role="alert" data-testid="stream-key-error">
              {t('recording.streamDialog.invalid')}
            </p>
          )}
        </div>
        <button type="submit" class="button button--primary" data-testid="stream-start">
          {t('recording.streamDialog.start')}
        </button>
      </form>
    </Dialog>
  );
}
