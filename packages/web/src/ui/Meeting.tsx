import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Conference } from '../conference/conference.js';
import type { DeviceKind } from '../conference/local-media.js';
import { ChatPanel } from './ChatPanel.js';
import { ConferenceError } from './ConferenceError.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { messageOf } from './format.js';
import { LeftPage } from './LeftPage.js';
import { meetingControls } from './meeting-controls.js';
import { MeetingHeader } from './MeetingHeader.js';
import { Notices } from './Notices.js';
import { RemoteAudio } from './RemoteAudio.js';
import { TileGrid } from './TileGrid.js';
import { tilesOf } from './tiles.js';
import { Toolbar, type ToolbarActions } from './Toolbar.js';
import { useConferenceState, useNotices } from './use-conference.js';

interface Props {
  conference: Conference;
  /** The name this person joined with, shown until the server confirms it. */
  displayName: string;
  subject: string | undefined;
}

/** The call itself: header, tiles, remote audio, toolbar, toasts, and the screens around it. */
export function Meeting({ conference, displayName, subject }: Props) {
  const state = useConferenceState(conference);
  const { notices, push, dismiss } = useNotices(conference);
  const [audioBlocked, setAudioBlocked] = useState(false);
  const onAudioBlocked = useCallback(() => setAudioBlocked(true), []);
  const [chatOpen, setChatOpen] = useState(false);
  const [chatSeen, setChatSeen] = useState(0);
  const toggleChat = useCallback(() => setChatOpen((open) => !open), []);

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
      leave: () => run(conference.leave()),
    };
  }, [conference, push, toggleChat]);

  const sendChat = useCallback(
    (text: string, to: string | undefined) =>
      conference.sendChat(text, to).catch((error: unknown) => {
        push({ kind: 'error', text: messageOf(error) });
        throw error;
      }),
    [conference, push],
  );

  const tiles = useMemo(() => tilesOf(state, displayName), [state, displayName]);

  if (state.connection === 'left') return <LeftPage room={state.roomName} reason={state.leftReason ?? 'left'} />;
  if (state.connection === 'failed') return <ConferenceError error={state.error} />;

  return (
    <div class="meeting">
      <MeetingHeader title={subject || state.roomName} count={state.participants.length + 1} startedAt={state.startedAt} />
      <TileGrid tiles={tiles} />
      <ConnectionBanner connection={state.connection} />
      {audioBlocked && (
        <button type="button" class="banner banner--action" onClick={() => playBlockedAudio(() => setAudioBlocked(false))}>
          Your browser paused the sound. Click to hear the others.
        </button>
      )}
      <div class="remote-audio">
        {state.participants.map((p) => p.tracks.mic && <RemoteAudio key={p.id} track={p.tracks.mic} onBlocked={onAudioBlocked} />)}
      </div>
      <Notices notices={notices} onDismiss={dismiss} />
      {chatOpen && (
        <ChatPanel messages={state.chat} selfId={state.self?.id} participants={state.participants} onSend={sendChat} onClose={toggleChat} />
      )}
      <Toolbar local={state.local} actions={actions} chatOpen={chatOpen} unread={unread} />
    </div>
  );
}

/** Runs inside a click, which is what browsers require before they play sound. */
function playBlockedAudio(done: () => void): void {
  const players = [...document.querySelectorAll<HTMLAudioElement>('audio[data-remote-audio]')];
  void Promise.allSettled(players.map((audio) => audio.play())).then(done);
}
