import { Limits, type RoomInfo } from '@tertulia/protocol';
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { canEncryptMedia } from '../e2ee/media-encryption.js';
import { useI18n } from '../i18n/i18n.js';
import { CameraIcon, LockIcon, MicIcon } from './icons.js';
import type { Moderate } from './moderation.js';
import { pageConfig } from '../config/page-config.js';
import { SidePanel } from './SidePanel.js';

interface Props {
  room: RoomInfo;
  /** Everything for moderators; others (E2EE_CONTROL=everyone) get the end-to-end encryption switch alone. */
  moderator: boolean;
  moderate: Moderate;
  /** Turns "follow me" on with this moderator's current layout, or off. */
  setFollowMe: (on: boolean) => Promise<boolean>;
  onClose: () => void;
}

type SwitchKey = 'lobby' | 'audio' | 'video' | 'followMe' | 'e2ee';

/** Moderators: room-wide controls in a side panel above the toolbar. */
export function ModerationPanel({ room, moderator, moderate, setFollowMe, onClose }: Props) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [subject, setSubject] = useState(room.subject);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  // What a switch shows while the server is asked; the room's own value afterwards.
  const [pending, setPending] = useState<Partial<Record<SwitchKey, boolean>>>({});
  const [confirmEnd, setConfirmEnd] = useState(false);
  const endButton = useRef<HTMLButtonElement>(null);
  const endConfirm = useRef<HTMLButtonElement>(null);

  // Another moderator may change the subject meanwhile.
  useEffect(() => setSubject(room.subject), [room.subject]);

  const first = useRef(true);
  useLayoutEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    (confirmEnd ? endConfirm : endButton).current?.focus();
  }, [confirmEnd]);

  /** Runs one action at a time per control, which stays disabled meanwhile. */
  const run = async (key: string, action: () => Promise<boolean>): Promise<boolean> => {
    setBusy((keys) => new Set(keys).add(key));
    try {
      return await action();
    } finally {
      setBusy((keys) => {
        const next = new Set(keys);
        next.delete(key);
        return next;
      });
    }
  };

  const toggle = (key: SwitchKey, enabled: boolean) => {
    setPending((p) => ({ ...p, [key]: enabled }));
    const action =
      key === 'lobby'
        ? () => moderate('setLobby', { enabled })
        : key === 'followMe'
          ? () => setFollowMe(enabled)
          : key === 'e2ee'
            ? () => moderate('setE2ee', { enabled })
            : () => moderate('setAvModeration', { kind: key, enabled });
    void run(key, action).then(() => setPending(({ [key]: _, ...rest }) => rest));
  };

  const setRoomPassword = (event: Event) => {
    event.preventDefault();
    const value = password.trim();
    if (!value) return;
    void run('password', () => moderate('setPassword', { password: value }, { key: 'moderation.passwordSetDone' })).then((ok) => ok && setPassword(''));
  };

  const saveSubject = (event: Event) => {
    event.preventDefault();
    void run('subject', () => moderate('setSubject', { subject: subject.trim() }, { key: subject.trim() ? 'moderation.subjectChanged' : 'moderation.subjectRemoved' }));
  };

  const lobby = pending.lobby ?? room.lobbyEnabled;
  const audio = pending.audio ?? room.avModeration.audio;
  const video = pending.video ?? room.avModeration.video;
  const followMe = pending.followMe ?? room.followMe !== null;
  const e2ee = pending.e2ee ?? room.e2ee;
  // Turning it on needs this browser to encrypt too; turning it off never does.
  const e2eeUnsupported = !e2ee && !canEncryptMedia();

  return (
    <SidePanel
      id="moderation-panel"
      className="moderation"
      testId="moderation-panel"
      title={t(moderator ? 'moderation.title' : 'e2ee.title')}
      closeLabel={t('moderation.close')}
      onClose={onClose}
    >
      {moderator && (
        <>
          <Section title={t('moderation.everyone')}>
            <div class="moderation__buttons">
              <button
                type="button"
                class="button moderation__button"
                data-testid="mute-all-audio"
                disabled={busy.has('mute-audio')}
                onClick={() => void run('mute-audio', () => moderate('muteAll', { kind: 'audio' }, { key: 'moderation.muteAllDone' }))}
              >
                <MicIcon off />
                {t('moderation.muteAll')}
              </button>
              <button
                type="button"
                class="button moderation__button"
                data-testid="mute-all-video"
                disabled={busy.has('mute-video')}
                onClick={() => void run('mute-video', () => moderate('muteAll', { kind: 'video' }, { key: 'moderation.stopAllVideoDone' }))}
              >
                <CameraIcon off />
                {t('moderation.stopAllVideo')}
              </button>
            </div>
          </Section>

          <Section title={t('followMe.title')}>
            <Switch
              testId="follow-me-toggle"
              label={t('followMe.toggle')}
              hint={t('followMe.hint')}
              checked={followMe}
              busy={busy.has('followMe')}
              onChange={(enabled) => toggle('followMe', enabled)}
            />
          </Section>

        </>
      )}

      <Section title={t('e2ee.title')}>
        <Switch
          testId="e2ee-toggle"
          label={t('e2ee.toggle')}
          hint={t(e2eeUnsupported ? 'e2ee.unsupported' : 'e2ee.hint')}
          checked={e2ee}
          busy={busy.has('e2ee') || e2eeUnsupported}
          onChange={(enabled) => toggle('e2ee', enabled)}
        />
      </Section>

      {moderator && (
        <>
          <Section title={t('moderation.joining')}>
            {!pageConfig().hideLobbyButton && (
              <Switch
                testId="lobby-toggle"
                label={t('moderation.lobby')}
                hint={t('moderation.lobbyHint')}
                checked={lobby}
                busy={busy.has('lobby')}
                onChange={(enabled) => toggle('lobby', enabled)}
              />
            )}
            <form class="moderation__form" onSubmit={setRoomPassword}>
              <div class="moderation__label-row">
                <label class="field__label" for="moderation-password">
                  {t('moderation.roomPassword')}
                </label>
                {room.locked && (
                  <span class="moderation__status" data-testid="password-status">
                    <LockIcon />
                    {t('moderation.passwordIsSet')}
                  </span>
                )}
              </div>
              <div class="moderation__inline">
                <input
                  id="moderation-password"
                  class="input"
                  type="text"
                  data-testid="password-input"
                  autocomplete="off"
                  spellcheck={false}
                  maxLength={Limits.maxPasswordLength}
                  placeholder={t(room.locked ? 'moderation.newPassword' : 'moderation.noPassword')}
                  aria-describedby="moderation-password-hint"
                  value={password}
                  onInput={(e) => setPassword(e.currentTarget.value)}
                />
                <button type="submit" class="button" data-testid="password-set" disabled={!password.trim() || busy.has('password')}>
                  {t(room.locked ? 'moderation.change' : 'moderation.set')}
                </button>
              </div>
              <p class="moderation__hint" id="moderation-password-hint">
                {t(room.locked ? 'moderation.lockedHint' : 'moderation.unlockedHint')}
              </p>
              {room.locked && (
                <button
                  type="button"
                  class="button button--small"
                  data-testid="password-remove"
                  disabled={busy.has('password')}
                  onClick={() => void run('password', () => moderate('setPassword', { password: null }, { key: 'moderation.passwordRemovedDone' }))}
                >
                  {t('moderation.removePassword')}
                </button>
              )}
            </form>
          </Section>

          <Section title={t('moderation.media')}>
            <Switch
              testId="av-moderation-audio"
              label={t('moderation.moderateMics')}
              hint={t('moderation.moderateMicsHint')}
              checked={audio}
              busy={busy.has('audio')}
              onChange={(enabled) => toggle('audio', enabled)}
            />
            <Switch
              testId="av-moderation-video"
              label={t('moderation.moderateCameras')}
              hint={t('moderation.moderateCamerasHint')}
              checked={video}
              busy={busy.has('video')}
              onChange={(enabled) => toggle('video', enabled)}
            />
          </Section>

          <Section title={t('moderation.subject')}>
            <form class="moderation__form" onSubmit={saveSubject}>
              <label class="sr-only" for="moderation-subject">
                {t('moderation.subject')}
              </label>
              <div class="moderation__inline">
                <input
                  id="moderation-subject"
                  class="input"
                  data-testid="subject-input"
                  maxLength={Limits.maxSubjectLength}
                  placeholder={t('moderation.subjectPlaceholder')}
                  value={subject}
                  onInput={(e) => setSubject(e.currentTarget.value)}
                />
                <button type="submit" class="button" data-testid="subject-set" disabled={busy.has('subject')}>
                  {t('moderation.set')}
                </button>
              </div>
            </form>
          </Section>

          <Section title={t('moderation.end')}>
            {confirmEnd ? (
              <div class="moderation__confirm" role="group" aria-labelledby="end-confirm-text">
                <p class="moderation__hint" id="end-confirm-text">
                  {t('moderation.endConfirmText')}
                </p>
                <div class="moderation__buttons moderation__buttons--row">
                  <button
                    type="button"
                    ref={endConfirm}
                    class="button button--danger"
                    data-testid="end-conference-confirm"
                    disabled={busy.has('end')}
                    onClick={() => void run('end', () => moderate('endConference', {}))}
                  >
                    {t('moderation.endForAll')}
                  </button>
                  <button type="button" class="button" onClick={() => setConfirmEnd(false)}>
                    {t('common.cancel')}
                  </button>
                </div>
              </div>
            ) : (
              <button type="button" ref={endButton} class="button button--danger-outline" data-testid="end-conference" onClick={() => setConfirmEnd(true)}>
                {t('moderation.endMeeting')}
              </button>
            )}
          </Section>
        </>
      )}
    </SidePanel>
  );
}

function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="moderation__section">
      <h3 class="moderation__heading">{title}</h3>
      {children}
    </section>
  );
}

interface SwitchProps {
  testId: string;
  label: string;
  hint: string;
  checked: boolean;
  busy: boolean;
  onChange: (checked: boolean) => void;
}

/** An on/off setting: a checkbox drawn as a switch, with its label and what it does. */
function Switch({ testId, label, hint, checked, busy, onChange }: SwitchProps) {
  const id = `switch-${testId}`;
  return (
    <div class="switch">
      <div class="switch__text">
        <label class="switch__label" for={id}>
          {label}
        </label>
        <span class="switch__hint" id={`${id}-hint`}>
          {hint}
        </span>
      </div>
      <input
        id={id}
        type="checkbox"
        role="switch"
        class="switch__input"
        data-testid={testId}
        checked={checked}
        disabled={busy}
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
    </div>
  );
}
