import { useEffect, useRef, useState } from 'preact/hooks';
import type { JoinOptions } from '../conference/conference.js';
import { Limits } from '@tertulia/protocol';
import type { ClientConfig } from '../config/client-config.js';
import { say, useI18n } from '../i18n/i18n.js';
import { Avatar } from './Avatar.js';
import { DeviceSelect } from './DeviceSelect.js';
import { loadDisplayName, saveDisplayName } from './display-name.js';
import { meetingEvents, useAnnounced } from './meeting-controls.js';
import { CameraIcon, MicIcon } from './icons.js';
import { LanguagePicker } from './LanguagePicker.js';
import { MicMeter } from './MicMeter.js';
import { SelfTestPanel } from './SelfTest.js';
import { ToolbarButton } from './ToolbarButton.js';
import { TrackVideo } from './TrackVideo.js';
import { useDevices } from './use-devices.js';
import { useLocalTrack } from './use-local-track.js';
import { useRoomNotice } from './use-room-notice.js';

export type PrejoinChoice = Omit<JoinOptions, 'room'>;

interface Props {
  room: string;
  config: ClientConfig;
  onJoin: (choice: PrejoinChoice) => void;
}

/** Check your name, camera and microphone before walking in. */
export function Prejoin({ room, config, onJoin }: Props) {
  const { t } = useI18n();
  useEffect(() => meetingEvents.announce('prejoinScreenLoaded'), []);
  const [name, setName] = useState(() => config.displayName ?? loadDisplayName());
  const [audioMuted, setAudioMuted] = useState(config.startWithAudioMuted);
  const [videoMuted, setVideoMuted] = useState(config.startWithVideoMuted);
  const [micId, setMicId] = useState<string | undefined>(undefined);
  const [cameraId, setCameraId] = useState<string | undefined>(undefined);
  // Set on join so the tracks survive this page and go to the conference.
  const handedOver = useRef(false);

  // The microphone stays open while muted so its level and any error show up front.
  const mic = useLocalTrack('audioinput', true, micId, handedOver);
  const camera = useLocalTrack('videoinput', !videoMuted, cameraId, handedOver);
  const devices = useDevices(`${mic.track?.id}/${camera.track?.id}`);
  const previewShown = camera.track !== undefined && !videoMuted;
  const recordings = useRoomNotice(room);
  useAnnounced('prejoinVideoChanged', previewShown);

  const join = (event: Event) => {
    event.preventDefault();
    const displayName = name.trim();
    saveDisplayName(displayName);
    handedOver.current = true;
    onJoin({
      displayName,
      audioMuted,
      videoMuted,
      micDeviceId: micId,
      cameraDeviceId: cameraId,
      tracks: { mic: mic.track, camera: videoMuted ? undefined : camera.track },
    });
  };

  const errors = [mic.error, videoMuted ? undefined : camera.error].filter((e) => e !== undefined).map(say);

  return (
    <main class="page">
      <div class="card prejoin">
        <div class="prejoin__preview">
          {camera.track && previewShown ? (
            <TrackVideo track={camera.track} mirrored testId="prejoin-preview" />
          ) : (
            <div class="prejoin__camera-off">
              <Avatar id={name || 'you'} name={name} />
              <span class="prejoin__camera-note">{t(videoMuted ? 'prejoin.cameraOff' : camera.error ? 'prejoin.noCamera' : 'prejoin.startingCamera')}</span>
            </div>
          )}
          <div class="prejoin__controls">
            {!config.hiddenPremeetingButtons.includes('microphone') && (
              <ToolbarButton
                testId="prejoin-mic-toggle"
                label={t('toolbar.mute')}
                pressed={audioMuted}
                variant={audioMuted ? 'off' : 'default'}
                onClick={() => setAudioMuted((m) => !m)}
              >
                <MicIcon off={audioMuted} />
              </ToolbarButton>
            )}
            {!config.hiddenPremeetingButtons.includes('camera') && (
              <ToolbarButton
                testId="prejoin-camera-toggle"
                label={t('toolbar.cameraOff')}
                pressed={videoMuted}
                variant={videoMuted ? 'off' : 'default'}
                onClick={() => setVideoMuted((m) => !m)}
              >
                <CameraIcon off={videoMuted} />
              </ToolbarButton>
            )}
          </div>
        </div>

        <form class="prejoin__form" onSubmit={join}>
          <div>
            <h1 class="card__title">{t('prejoin.title')}</h1>
            <p class="card__subtitle">{room}</p>
          </div>
          <div class="field">
            <label class="field__label" for="display-name">
              {t('prejoin.yourName')}
            </label>
            <input
              id="display-name"
              class="input"
              data-testid="display-name-input"
              value={name}
              maxLength={Limits.maxDisplayNameLength}
              autocomplete="name"
              placeholder={t('prejoin.namePlaceholder')}
              readOnly={config.readOnlyName}
              required={config.requireDisplayName}
              onInput={(event) => setName(event.currentTarget.value)}
            />
          </div>
          <DeviceSelect kind="audioinput" devices={devices} value={micId ?? mic.track?.getSettings().deviceId} onChange={setMicId} testId="mic-select" />
          <div class="prejoin__meter">
            <MicIcon off={audioMuted} />
            <MicMeter track={audioMuted ? undefined : mic.track} />
          </div>
          <DeviceSelect
            kind="videoinput"
            devices={devices}
            value={cameraId ?? camera.track?.getSettings().deviceId}
            onChange={setCameraId}
            testId="camera-select"
          />
          {errors.length > 0 && (
            <div class="prejoin__errors" role="alert">
              {errors.map((error) => (
                <p key={error}>{error}</p>
              ))}
              <p>{t('prejoin.joinAnyway')}</p>
            </div>
          )}
          {recordings.length > 0 && (
            <p class="prejoin__recorded" role="status" data-testid="prejoin-recorded">
              {t(recordings.length > 1 ? 'prejoin.recordedAndStreamed' : recordings[0] === 'file' ? 'prejoin.recorded' : 'prejoin.streamed')}
            </p>
          )}
          <button
            type="submit"
            class="button button--primary button--wide"
            data-testid="join-button"
            disabled={config.requireDisplayName && name.trim() === ''}
          >
            {t('prejoin.join')}
          </button>
          <SelfTestPanel />
          <LanguagePicker compact />
        </form>
      </div>
    </main>
  );
}
