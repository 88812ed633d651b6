import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { LocalState } from '../conference/conference.js';
import type { DeviceKind } from '../conference/local-media.js';
import { DeviceSettings } from './DeviceSettings.js';
import { BreakoutIcon, CameraIcon, ChatIcon, HandIcon, HangUpIcon, MicIcon, PeopleIcon, PollIcon, ScreenIcon, SettingsIcon, ShieldIcon, StatsIcon, TileViewIcon } from './icons.js';
import { CountBadge, ToolbarButton } from './ToolbarButton.js';
import type { Reaction } from '@tertulia/protocol';
import { useI18n } from '../i18n/i18n.js';
import { ReactionMenu } from './ReactionMenu.js';
import { RecordingMenu, type RecordingActions } from './RecordingMenu.js';
import type { ServerRecordingControl } from './recording-controls.js';
import { interceptToolbarClick } from './notify-clicks.js';
import type { QualityChoice } from './video-quality.js';

export interface ToolbarActions {
  setAudioMuted: (muted: boolean) => void;
  setVideoMuted: (muted: boolean) => void;
  setScreenSharing: (sharing: boolean) => void;
  switchDevice: (kind: DeviceKind, deviceId: string) => void;
  chooseQuality: (choice: QualityChoice) => void;
  toggleChat: () => void;
  toggleModeration: () => void;
  togglePolls: () => void;
  toggleSpeakerStats: () => void;
  toggleParticipants: () => void;
  toggleTileView: () => void;
  toggleBreakouts: () => void;
  leave: () => void;
  setHandRaised: (raised: boolean) => void;
  sendReaction: (reaction: Reaction) => void;
}

interface Props {
  local: LocalState;
  /** The video quality setting, in the settings panel. */
  quality: QualityChoice;
  actions: ToolbarActions;
  chatOpen: boolean;
  /** Chat messages from others not seen yet. */
  unread: number;
  /** The security panel's button: moderators get every control, others only end-to-end encryption (E2EE_CONTROL=everyone); none: no button. */
  security: 'moderator' | 'e2ee' | undefined;
  moderationOpen: boolean;
  pollsOpen: boolean;
  /** Polls by others not seen yet. */
  unseenPolls: number;
  speakerStatsOpen: boolean;
  tileView: boolean;
  /** Following a moderator's layout: the view cannot be changed here. */
  layoutLocked?: boolean;
  participantsOpen: boolean;
  /** Everyone in the meeting, yourself included. */
  participantCount: number;
  /** This person's hand is up. */
  handRaised: boolean;
  /** Whether the breakout rooms button shows (moderators, or once there are rooms), and its panel is open. */
  breakouts: { shown: boolean; open: boolean };
  /** Recording and live streaming: the server controls this person has, and recording on this device. */
  recording: { controls: ServerRecordingControl[]; local: { allowed: boolean; active: boolean }; actions: RecordingActions };
}

/** Phones and some browsers cannot share a screen; the button is left out there. */
export const canShareScreen = typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';

/** The meeting's controls, fixed at the bottom of the screen. */
export function Toolbar({ local, quality, actions, chatOpen, unread, security, moderationOpen, pollsOpen, unseenPolls, speakerStatsOpen, handRaised, tileView, layoutLocked = false, participantsOpen, participantCount, breakouts, recording }: Props) {
  const { t } = useI18n();
  const bar = useRef<HTMLDivElement>(null);
  useToolbarHeight(bar);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const closeSettings = useCallback(() => setSettingsOpen(false), []);
  const sharing = local.screenTrack !== undefined;

  return (
    <footer class="toolbar-dock">
      {settingsOpen && <DeviceSettings local={local} onSwitch={actions.switchDevice} quality={quality} onQuality={actions.chooseQuality} onClose={closeSettings} />}
      <div class="toolbar" role="group" aria-label={t('toolbar.controls')} ref={bar} onClickCapture={interceptToolbarClick}>
        <ToolbarButton
          testId="toggle-mic"
          shortcut="mic"
          label={t('toolbar.mute')}
          pressed={local.audioMuted}
          variant={local.audioMuted ? 'off' : 'default'}
          onClick={() => actions.setAudioMuted(!local.audioMuted)}
        >
          <MicIcon off={local.audioMuted} />
        </ToolbarButton>
        <ToolbarButton
          testId="toggle-camera"
          shortcut="camera"
          label={t('toolbar.cameraOff')}
          pressed={local.videoMuted}
          variant={local.videoMuted ? 'off' : 'default'}
          onClick={() => actions.setVideoMuted(!local.videoMuted)}
        >
          <CameraIcon off={local.videoMuted} />
        </ToolbarButton>
        {canShareScreen && (
          <ToolbarButton
            testId="toggle-screen"
            shortcut="screen"
            label={t('toolbar.shareScreen')}
            pressed={sharing}
            onClick={() => actions.setScreenSharing(!sharing)}
          >
            <ScreenIcon />
          </ToolbarButton>
        )}
        <ToolbarButton
          testId="toggle-hand"
          shortcut="hand"
          label={handRaised ? t('hands.lower') : t('hands.raise')}
          pressed={handRaised}
          onClick={() => actions.setHandRaised(!handRaised)}
        >
          <HandIcon />
        </ToolbarButton>
        <ReactionMenu onReact={actions.sendReaction} />
        <ToolbarButton
          testId="toggle-chat"
          shortcut="chat"
          label={unread > 0 ? t('toolbar.chatUnread', { count: unread }) : t('toolbar.chat')}
          pressed={chatOpen}
          onClick={actions.toggleChat}
        >
          <ChatIcon />
          <CountBadge count={unread} testId="chat-unread" />
        </ToolbarButton>
        <ToolbarButton
          testId="toggle-polls"
          label={unseenPolls > 0 ? t('polls.buttonUnseen', { count: unseenPolls }) : t('polls.button')}
          expanded={pollsOpen}
          controls="polls-panel"
          onClick={actions.togglePolls}
        >
          <PollIcon />
          <CountBadge count={unseenPolls} testId="polls-unseen" />
        </ToolbarButton>
        <ToolbarButton
          testId="toggle-speaker-stats"
          shortcut="speakerStats"
          label={t('speakerStats.button')}
          expanded={speakerStatsOpen}
          aria-haspopup="dialog"
          onClick={actions.toggleSpeakerStats}
        >
          <StatsIcon />
        </ToolbarButton>
        <ToolbarButton
          testId="toggle-participants"
          shortcut="participants"
          label={t('participants.toggle', { count: participantCount })}
          expanded={participantsOpen}
          controls="participants-panel"
          onClick={actions.toggleParticipants}
        >
          <PeopleIcon />
          <span class="badge badge--count" data-testid="participants-count" aria-hidden="true">
            {participantCount}
          </span>
        </ToolbarButton>
        <ToolbarButton
          testId="toggle-tile-view"
          shortcut="tileView"
          label={t('views.tileView')}
          pressed={tileView}
          aria-disabled={layoutLocked}
          onClick={actions.toggleTileView}
        >
          <TileViewIcon />
        </ToolbarButton>
        {breakouts.shown && (
          <ToolbarButton
            testId="toggle-breakouts"
            label={t('breakout.title')}
            expanded={breakouts.open}
            controls="breakouts-panel"
            onClick={actions.toggleBreakouts}
          >
            <BreakoutIcon />
          </ToolbarButton>
        )}
        <RecordingMenu controls={recording.controls} local={recording.local} actions={recording.actions} />
        {security && (
          <ToolbarButton
            testId="moderation"
            label={t(security === 'moderator' ? 'toolbar.moderation' : 'e2ee.title')}
            expanded={moderationOpen}
            controls="moderation-panel"
            onClick={actions.toggleModeration}
          >
            <ShieldIcon />
          </ToolbarButton>
        )}
        <ToolbarButton
          testId="device-settings"
          label={t('toolbar.settings')}
          expanded={settingsOpen}
          aria-haspopup="dialog"
          controls="device-settings-panel"
          onClick={() => setSettingsOpen((open) => !open)}
        >
          <SettingsIcon />
        </ToolbarButton>
        <ToolbarButton testId="leave" label={t('toolbar.leave')} variant="danger" onClick={actions.leave}>
          <HangUpIcon />
        </ToolbarButton>
      </div>
    </footer>
  );
}

/** Publishes the toolbar's height (one row, or more on a phone) as --toolbar-height, so the call above keeps clear of it. */
function useToolbarHeight(bar: { current: HTMLElement | null }): void {
  useEffect(() => {
    const element = bar.current;
    if (!element) return;
    const root = document.documentElement.style;
    const observer = new ResizeObserver(() => root.setProperty('--toolbar-height', `${element.offsetHeight}px`));
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.removeProperty('--toolbar-height');
    };
  }, [bar]);
}
