import type { RequestData } from '@tertulia/protocol';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Conference, ConferenceState, ModerationMethod, Notice } from '../conference/conference.js';
import type { DeviceKind } from '../conference/local-media.js';
import { ChatPanel } from './ChatPanel.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { messageOf } from './format.js';
import { KnockingPanel } from './KnockingPanel.js';
import { meetingControls } from './meeting-controls.js';
import { MeetingHeader } from './MeetingHeader.js';
import { ModerationPanel } from './ModerationPanel.js';
import type { Moderate } from './moderation.js';
import { Notices } from './Notices.js';
import { RemoteAudio } from './RemoteAudio.js';
import type { TileModel } from './Tile.js';
import { TileGrid } from './TileGrid.js';
import { TileMenu } from './TileMenu.js';
import { tilesOf } from './tiles.js';
import { Toolbar, type ToolbarActions } from './Toolbar.js';
import type { ShownNotice } from './use-conference.js';

interface Props {
  conference: Conference;
  state: ConferenceState;
  /** The name this person joined with, shown until the server confirms it. */
  displayName: string;
  /** The subject from the page's config, until the room has one of its own. */
  subject: string | undefined;
  notices: ShownNotice[];
  push: (notice: Notice) => void;
  dismiss: (id: number) => void;
}

/** One side panel at a time: they share the right edge. */
type Panel = 'chat' | 'moderation' | undefined;

/** The call itself, while joining, joined or reconnecting: header, tiles, remote audio, panels, toolbar, toasts. */
export function Call({ conference, state, displayName, subject, notices, push, dismiss }: Props) {
  const [audioBlocked, setAudioBlocked] = useState(false);
  const onAudioBlocked = useCallback(() => setAudioBlocked(true), []);
  const [openPanel, setPanel] = useState<Panel>(undefined);
  const [chatSeen, setChatSeen] = useState(0);
  const moderator = state.self?.role === 'moderator' && state.room !== undefined;
  // Someone who stops being a moderator loses the panel with the role.
  const panel = openPanel === 'moderation' && !moderator ? undefined : openPanel;
  const chatOpen = panel === 'chat';
  const toggleChat = useCallback(() => setPanel((open) => (open === 'chat' ? undefined : 'chat')), []);
  const toggleModeration = useCallback(() => setPanel((open) => (open === 'moderation' ? undefined : 'moderation')), []);
  const closeModeration = useCallback(() => {
    setPanel(undefined);
    document.querySelector<HTMLElement>('[data-testid="moderation"]')?.focus();
  }, []);

  // Everything in the chat counts as read while the panel is open.
  useEffect(() => {
    if (chatOpen) setChatSeen(state.chat.length);
  }, [chatOpen, state.chat.length]);
  const unread = state.chat.slice(chatSeen).filter((m) => m.from !== state.self?.id).length;

  useEffect(() => {
    meetingControls.toggleChat = toggleChat;
    meetingControls.isChatOpen = () => chatOpen;
  }, [toggleChat, chatOpen]);

  const actions = useMemo<ToolbarActions>(() => {
    // Device problems arrive as conference notices; anything else thrown is shown the same way.
    const run = (action: Promise<void>) => void action.catch((error: unknown) => push({ kind: 'error', text: messageOf(error) }));
    return {
      setAudioMuted: (muted) => run(conference.setAudioMuted(muted)),
      setVideoMuted: (muted) => run(conference.setVideoMuted(muted)),
      setScreenSharing: (sharing) => run(sharing ? conference.startScreenShare() : conference.stopScreenShare()),
      switchDevice: (kind: DeviceKind, deviceId) => run(conference.switchDevice(kind, deviceId)),
      toggleChat,
      toggleModeration,
      leave: () => run(conference.leave()),
    };
  }, [conference, push, toggleChat, toggleModeration]);

  const sendChat = useCallback(
    (text: string, to: string | undefined) =>
      conference.sendChat(text, to).catch((error: unknown) => {
        push({ kind: 'error', text: messageOf(error) });
        throw error;
      }),
    [conference, push],
  );

  const moderate: Moderate = useCallback(
    <M extends ModerationMethod>(method: M, data: RequestData<M>, success?: string) =>
      conference.moderate(method, data).then(
        () => {
          if (success) push({ kind: 'info', text: success });
          return true;
        },
        (error: unknown) => {
          push({ kind: 'error', text: messageOf(error) });
          return false;
        },
      ),
    [conference, push],
  );

  const tiles = useMemo(() => tilesOf(state, displayName), [state, displayName]);
  const avModeration = state.room?.avModeration;
  const menuFor = useMemo(() => {
    if (!moderator || !avModeration) return undefined;
    return (tile: TileModel) =>
      tile.self || tile.source !== 'camera' ? null : (
        <TileMenu participantId={tile.participantId} name={tile.name} role={tile.role} avModeration={avModeration} moderate={moderate} />
      );
  }, [moderator, avModeration, moderate]);

  const title = state.room?.subject || subject || state.roomName;
  const knocking = moderator && state.knocking.length > 0;

  return (
    <div class={panel ? 'meeting meeting--with-panel' : 'meeting'}>
      <MeetingHeader title={title} locked={state.room?.locked ?? false} count={state.participants.length + 1} startedAt={state.startedAt} />
      <TileGrid tiles={tiles} menuFor={menuFor} />
      <ConnectionBanner connection={state.connection} />
      {audioBlocked && (
        <button type="button" class="banner banner--action" onClick={() => playBlockedAudio(() => setAudioBlocked(false))}>
          Your browser paused the sound. Click to hear the others.
        </button>
      )}
      <div class="remote-audio">
        {state.participants.map((p) => p.tracks.mic && <RemoteAudio key={p.id} track={p.tracks.mic} onBlocked={onAudioBlocked} />)}
      </div>
      {chatOpen && (
        <ChatPanel messages={state.chat} selfId={state.self?.id} participants={state.participants} onSend={sendChat} onClose={toggleChat} />
      )}
      {panel === 'moderation' && state.room && <ModerationPanel room={state.room} moderate={moderate} onClose={closeModeration} />}
      {/* Knocks and toasts share the top-right corner, beside an open side panel on wide screens. */}
      <div class={panel ? 'corner corner--beside-panel' : 'corner'}>
        {knocking && <KnockingPanel knocking={state.knocking} moderate={moderate} />}
        <Notices notices={notices} onDismiss={dismiss} stacked />
      </div>
      <Toolbar
        local={state.local}
        actions={actions}
        chatOpen={chatOpen}
        unread={unread}
        moderator={moderator}
        moderationOpen={panel === 'moderation'}
      />
    </div>
  );
}

/** Runs inside a click, which is what browsers require before they play sound. */
function playBlockedAudio(done: () => void): void {
  const players = [...document.querySelectorAll<HTMLAudioElement>('audio[data-remote-audio]')];
  void Promise.allSettled(players.map((audio) => audio.play())).then(done);
}
