import { useCallback, useState } from 'preact/hooks';
import type { LocalState } from '../conference/conference.js';
import type { DeviceKind } from '../conference/local-media.js';
import { DeviceSettings } from './DeviceSettings.js';
import { CameraIcon, ChatIcon, HangUpIcon, MicIcon, ScreenIcon, SettingsIcon, ShieldIcon } from './icons.js';
import { ToolbarButton } from './ToolbarButton.js';

export interface ToolbarActions {
  setAudioMuted: (muted: boolean) => void;
  setVideoMuted: (muted: boolean) => void;
  setScreenSharing: (sharing: boolean) => void;
  switchDevice: (kind: DeviceKind, deviceId: string) => void;
  toggleChat: () => void;
  toggleModeration: () => void;
  leave: () => void;
}

interface Props {
  local: LocalState;
  actions: ToolbarActions;
  chatOpen: boolean;
  /** Chat messages from others not seen yet. */
  unread: number;
  /** Moderators get a button for the moderation panel. */
  moderator: boolean;
  moderationOpen: boolean;
}

/** Phones and some browsers cannot share a screen; the button is left out there. */
const canShareScreen = typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';

/** The meeting's controls, fixed at the bottom of the screen. */
export function Toolbar({ local, actions, chatOpen, unread, moderator, moderationOpen }: Props) {
  const [settingsOpen, setSettingsOpen] = useState(false);
  const closeSettings = useCallback(() => setSettingsOpen(false), []);
  const sharing = local.screenTrack !== undefined;

  return (
    <footer class="toolbar-dock">
      {settingsOpen && <DeviceSettings local={local} onSwitch={actions.switchDevice} onClose={closeSettings} />}
      <div class="toolbar" role="group" aria-label="Meeting controls">
        <ToolbarButton
          testId="toggle-mic"
          label="Mute microphone"
          pressed={local.audioMuted}
          variant={local.audioMuted ? 'off' : 'default'}
          onClick={() => actions.setAudioMuted(!local.audioMuted)}
        >
          <MicIcon off={local.audioMuted} />
        </ToolbarButton>
        <ToolbarButton
          testId="toggle-camera"
          label="Turn off camera"
          pressed={local.videoMuted}
          variant={local.videoMuted ? 'off' : 'default'}
          onClick={() => actions.setVideoMuted(!local.videoMuted)}
        >
          <CameraIcon off={local.videoMuted} />
        </ToolbarButton>
        {canShareScreen && (
          <ToolbarButton
            testId="toggle-screen"
            label="Share screen"
            pressed={sharing}
            variant={sharing ? 'active' : 'default'}
            onClick={() => actions.setScreenSharing(!sharing)}
          >
            <ScreenIcon />
          </ToolbarButton>
        )}
        <ToolbarButton
          testId="toggle-chat"
          label={unread > 0 ? `Chat, ${unread} unread` : 'Chat'}
          pressed={chatOpen}
          variant={chatOpen ? 'active' : 'default'}
          onClick={actions.toggleChat}
        >
          <ChatIcon />
          {unread > 0 && (
            <span class="badge" data-testid="chat-unread" aria-hidden="true">
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </ToolbarButton>
        {moderator && (
          <ToolbarButton
            testId="moderation"
            label="Moderation"
            aria-expanded={moderationOpen}
            aria-controls={moderationOpen ? 'moderation-panel' : undefined}
            variant={moderationOpen ? 'active' : 'default'}
            onClick={actions.toggleModeration}
          >
            <ShieldIcon />
          </ToolbarButton>
        )}
        <ToolbarButton
          testId="device-settings"
          label="Device settings"
          aria-expanded={settingsOpen}
          aria-haspopup="dialog"
          aria-controls={settingsOpen ? 'device-settings-panel' : undefined}
          variant={settingsOpen ? 'active' : 'default'}
          onClick={() => setSettingsOpen((open) => !open)}
        >
          <SettingsIcon />
        </ToolbarButton>
        <ToolbarButton testId="leave" label="Leave meeting" variant="danger" onClick={actions.leave}>
          <HangUpIcon />
        </ToolbarButton>
      </div>
    </footer>
  );
}
