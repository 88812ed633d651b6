import { Limits } from '@tertulia/protocol';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { rich } from '../i18n/rich.js';
import { say, useI18n, type Text } from '../i18n/i18n.js';
import { LockIcon, LogoIcon } from './icons.js';

export type Credentials = { username: string; password: string } | { roomPassword: string };

interface Props {
  kind: 'login' | 'password';
  room: string;
  /** Why the last attempt failed. */
  error: Text | undefined;
  /** The answer is being checked. */
  busy: boolean;
  onSubmit: (credentials: Credentials) => void;
  onCancel: () => void;
}

/** What the server needs before letting this person in: a login, or the room's password. */
export function CredentialDialog({ kind, room, error, busy, onSubmit, onCancel }: Props) {
  const { t } = useI18n();
  const login = kind === 'login';
  const prefix = login ? 'login' : 'password';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const first = useRef<HTMLInputElement>(null);
  const secret = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
  }, []);

  // After a refusal the secret is focused and selected, so typing replaces it.
  useLayoutEffect(() => {
    if (!error) return;
    secret.current?.focus();
    secret.current?.select();
  }, [error]);

  const submit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (login && !username.trim()) return first.current?.focus();
    if (!password) return secret.current?.focus();
    onSubmit(login ? { username: username.trim(), password } : { roomPassword: password });
  };

  const errorId = `${prefix}-error`;
  const invalid = error ? 'true' : undefined;

  return (
    <main class="page">
      <form
        class="card card--narrow credentials"
        role="dialog"
        aria-modal="true"
        aria-labelledby="credentials-title"
        aria-describedby="credentials-text"
        aria-busy={busy}
        data-testid={login ? 'login-dialog' : 'password-dialog'}
        onSubmit={submit}
      >
        {login ? (
          <LogoIcon />
        ) : (
          <span class="credentials__lock" aria-hidden="true">
            <LockIcon />
          </span>
        )}
        <h1 class="card__title" id="credentials-title">
          {t(login ? 'join.loginTitle' : 'join.passwordTitle')}
        </h1>
        <p class="card__text" id="credentials-text">
          {rich(login ? 'join.loginText' : 'join.passwordText', { room: <strong>{room}</strong> })}
        </p>
        <div class="credentials__fields">
          {login && (
            <div class="field">
              <label class="field__label" for="login-username">
                {t('join.username')}
              </label>
              <input
                id="login-username"
                ref={first}
                class="input"
                data-testid="login-username"
                autocomplete="username"
                autocapitalize="none"
                spellcheck={false}
                maxLength={256}
                value={username}
                aria-invalid={invalid}
                aria-describedby={error ? errorId : undefined}
                onInput={(e) => setUsername(e.currentTarget.value)}
              />
            </div>
          )}
          <div class="field">
            <label class="field__label" for={login ? 'login-password' : 'room-password-input'}>
              {t('join.password')}
            </label>
            <input
              id={login ? 'login-password' : 'room-password-input'}
              ref={(el) => {
                secret.current = el;
                if (!login) first.current = el;
              }}
              class="input"
              type="password"
              data-testid={login ? 'login-password' : 'room-password-input'}
              autocomplete={login ? 'current-password' : 'off'}
              maxLength={login ? 1024 : Limits.maxPasswordLength}
              value={password}
              aria-invalid={invalid}
              aria-describedby={error ? errorId : undefined}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </div>
          {error && (
            <p class="field__error credentials__error" id={errorId} role="alert" data-testid={errorId}>
              {say(error)}
            </p>
          )}
        </div>
        <div class="card__actions">
          <button type="submit" class="button button--primary" data-testid={login ? 'login-submit' : 'room-password-submit'} disabled={busy}>
            {busy && <span class="spinner" aria-hidden="true" />}
            {t(busy ? 'join.checking' : login ? 'join.logIn' : 'prejoin.join')}
          </button>
          <button type="button" class="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </main>
  );
}
