import type { RequestData } from '@tertulia/protocol';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Conference, ConferenceState, ModerationMethod, Notice } from '../conference/conference.js';
import type { DeviceKind } from '../conference/local-media.js';
import { usePageConfig } from '../config/page-config.js';
import { useI18n, type Text } from '../i18n/i18n.js';
import { BreakoutPanel } from './BreakoutPanel.js';
import { ChatPanel } from './ChatPanel.js';
import { PollsPanel } from './PollsPanel.js';
import { SpeakerStatsDialog } from './SpeakerStatsDialog.js';
import { usePollActions, useUnseenPolls } from './use-polls.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { messageOf } from './format.js';
import { reactionRefusal } from './reaction-emoji.js';
import { KnockingPanel } from './KnockingPanel.js';
import { useLocalNames } from './local-names.js';
import { useLocalSubject } from './local-subject.js';
import { meetingControls, useAnnounced } from './meeting-controls.js';
import { MeetingHeader } from './MeetingHeader.js';
import { ModerationPanel } from './ModerationPanel.js';
import type { Moderate } from './moderation.js';
import { HostNotices, Notices } from './Notices.js';
import { RemoteAudio } from './RemoteAudio.js';
import type { TileModel } from './Tile.js';
import { TileGrid } from './TileGrid.js';
import { TileMenu } from './TileMenu.js';
import { tilesOf } from './tiles.js';
import { canShareScreen, Toolbar, type ToolbarActions } from './Toolbar.js';
import { ParticipantsPane } from './ParticipantsPane.js';
import { peopleOf } from './participants.js';
import { ShortcutsHelp } from './ShortcutsHelp.js';
import { StageView } from './StageView.js';
import { tileKeyOf } from './stage.js';
import { useCallView } from './use-call-view.js';
import { useChatControls } from './use-chat-controls.js';
import { useOpenPanel } from './use-open-panel.js';
import { useFollowMe } from './use-follow-me.js';
import { useLayoutControls } from './use-layout-controls.js';
import { useShortcuts } from './use-shortcuts.js';
import { VideoSizeContext, videoSizeSinkOf } from './video-size-report.js';
import { choiceOf, chooseQuality } from './video-quality.js';
import type { ShownNotice } from './use-conference.js';
import { localRecording } from './local-recording.js';
import type { RecordingActions } from './RecordingMenu.js';
import { recordingIndicators, serverRecordingControls } from './recording-controls.js';
import { useLocalRecording } from './use-local-recording.js';

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

/** The call itself, while joining, joined or reconnecting: header, tiles, remote audio, panels, toolbar, toasts. */
export function Call({ conference, state, displayName, subject, notices, push, dismiss }: Props) {
  const { t, language } = useI18n();
  const [audioBlocked, setAudioBlocked] = useState(false);
  const onAudioBlocked = useCallback(() => setAudioBlocked(true), []);
  const [openPanel, panels] = useOpenPanel();
  const [chatSeen, setChatSeen] = useState(0);
  const moderator = state.self?.role === 'moderator' && state.room !== undefined;
  // Others get the security panel for end-to-end encryption alone, when E2EE_CONTROL lets everyone turn it on.
  const security = moderator ? 'moderator' : state.room?.e2eeControl === 'everyone' ? 'e2ee' : undefined;
  // Someone who stops being a moderator loses the panel (or what it held) with the role.
  const panel = openPanel === 'moderation' && !security ? undefined : openPanel;
  const chatOpen = panel === 'chat';
  const participantsOpen = panel === 'participants';
  const breakoutsOpen = panel === 'breakouts';
  const pollsOpen = panel === 'polls';
  const joinBreakoutRoom = useCallback(
    (roomId: string | null) => conference.joinBreakoutRoom(roomId).catch((error: unknown) => push({ kind: 'error', text: messageOf(error) })),
    [conference, push],
  );
  const [helpOpen, setHelpOpen] = useState(false);
  const closeHelp = useCallback(() => setHelpOpen(false), []);

  // Everything in the chat counts as read while the panel is open.
  useEffect(() => {
    if (chatOpen) setChatSeen(state.chat.length);
  }, [chatOpen, state.chat.length]);
  const unread = state.chat.slice(chatSeen).filter((m) => m.from !== state.self?.id).length;
  const openChat = useCallback((open: boolean) => panels.setOpen('chat', open), [panels]);
  const [chatTo, setChatTo] = useChatControls(chatOpen, unread, openChat);

  useEffect(() => {
    meetingControls.toggleChat = panels.toggle.chat;
    meetingControls.isChatOpen = () => chatOpen;
  }, [panels, chatOpen]);
  const unseenPolls = useUnseenPolls(state.polls, pollsOpen, state.self?.id);
  const pollActions = usePollActions(conference, push);
  const [speakerStatsOpen, setSpeakerStatsOpen] = useState(false);
  const toggleSpeakerStats = useCallback(() => setSpeakerStatsOpen((open) => !open), []);
  const closeSpeakerStats = useCallback(() => setSpeakerStatsOpen(false), []);
  useEffect(() => {
    meetingControls.toggleSpeakerStats = toggleSpeakerStats;
  }, [toggleSpeakerStats]);
  useEffect(() => {
    meetingControls.setParticipantsPaneOpen = (open) => panels.setOpen('participants', open);
    meetingControls.isParticipantsPaneOpen = () => participantsOpen;
  }, [panels, participantsOpen]);
  useAnnounced('participantsPaneToggled', participantsOpen);
  const names = useLocalNames();
  const config = usePageConfig();
  // Tile labels carry words ("(you)"), so a language change builds them again; so do this page's names and config.
  const tiles = useMemo(() => tilesOf(state, displayName), [state, displayName, language, names, config]);
  const view = useCallView(tiles, state.dominantSpeakerId, useFollowMe(conference, state, push));
  const currentLayout = useCallback(
    (on: boolean) => ({ layout: on ? { tileView: view.mode === 'tile', pin: view.pin ?? null } : null }),
    [view.mode, view.pin],
  );
  useEffect(() => {
    meetingControls.setFollowMe = (on) => conference.moderate('setFollowMe', currentLayout(on));
  }, [conference, currentLayout]);
  const { layout, notifications: hostNotifications, hideNotification } = useLayoutControls(view.large?.key);
  // The server gives the large tile's person priority (last-N, bandwidth); tiles report their own sizes.
  const onStageId = view.large && !view.large.self ? view.large.participantId : undefined;
  useEffect(() => conference.setOnStage(onStageId ? [onStageId] : []), [conference, onStageId]);
  const reportVideoSize = useMemo(() => videoSizeSinkOf(conference), [conference]);

  const actions = useMemo<ToolbarActions>(() => {
    // Device problems arrive as conference notices; anything else thrown is shown the same way.
    const run = (action: Promise<void>) => void action.catch((error: unknown) => push({ kind: 'error', text: messageOf(error) }));
    return {
      setAudioMuted: (muted) => run(conference.setAudioMuted(muted)),
      setVideoMuted: (muted) => run(conference.setVideoMuted(muted)),
      setScreenSharing: (sharing) => run(sharing ? conference.startScreenShare() : conference.stopScreenShare()),
      switchDevice: (kind: DeviceKind, deviceId) => run(conference.switchDevice(kind, deviceId)),
      chooseQuality: (choice) => chooseQuality(conference, choice),
      toggleChat: panels.toggle.chat,
      toggleModeration: panels.toggle.moderation,
      togglePolls: panels.toggle.polls,
      toggleSpeakerStats,
      toggleParticipants: panels.toggle.participants,
      toggleTileView: view.toggle,
      toggleBreakouts: panels.toggle.breakouts,
      leave: () => run(conference.leave()),
      setHandRaised: (raised) => run(conference.setHandRaised(raised)),
      // Too fast or chat-muted: a short notice in words, not the server's message.
      sendReaction: (reaction) => void conference.sendReaction(reaction).catch((error: unknown) => push({ kind: 'info', text: reactionRefusal(error) })),
    };
  }, [conference, push, panels, toggleSpeakerStats, view.toggle]);

  useShortcuts({
    mic: () => actions.setAudioMuted(!state.local.audioMuted),
    camera: () => actions.setVideoMuted(!state.local.videoMuted),
    screen: canShareScreen ? () => actions.setScreenSharing(!state.local.screenTrack) : undefined,
    hand: () => actions.setHandRaised(state.self?.handRaisedAt == null),
    chat: actions.toggleChat,
    speakerStats: actions.toggleSpeakerStats,
    tileView: actions.toggleTileView,
    participants: actions.toggleParticipants,
    help: () => setHelpOpen((open) => !open),
  });

  const sendChat = useCallback(
    (text: string, to: string | undefined) =>
      conference.sendChat(text, to).catch((error: unknown) => {
        push({ kind: 'error', text: messageOf(error) });
        throw error;
      }),
    [conference, push],
  );

  const moderate: Moderate = useCallback(
    <M extends ModerationMethod>(method: M, data: RequestData<M>, success?: Text) =>
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

  const recordingHere = useLocalRecording(push);
  const recordingActions = useMemo<RecordingActions>(() => {
    const run = (action: () => Promise<unknown>) => void action().catch((error: unknown) => push({ kind: 'error', text: messageOf(error) }));
    return {
      startFile: () => run(() => conference.startRecording({ mode: 'file' })),
      startStream: (streamUrl) => run(() => conference.startRecording({ mode: 'stream', streamUrl })),
      stop: (mode) => run(() => conference.stopRecording(mode)),
      setLocal: (on) => run(async () => (on ? localRecording.start(conference) : localRecording.stop())),
    };
  }, [conference, push]);

  const avModeration = state.room?.avModeration;
  const menuFor = useMemo(() => {
    if (!moderator || !avModeration) return undefined;
    return (tile: TileModel) =>
      tile.self || tile.source !== 'camera' ? null : (
        <TileMenu
          participantId={tile.participantId}
          name={tile.name}
          role={tile.role}
          handRaised={tile.handPosition !== undefined}
          chatMuted={state.participants.some((p) => p.id === tile.participantId && p.chatMuted)}
          avModeration={avModeration}
          moderate={moderate}
        />
      );
  }, [moderator, avModeration, moderate, state.participants]);

  const localSubject = useLocalSubject();
  const title = localSubject || state.room?.subject || subject || state.roomName;
  const knocking = moderator && state.knocking.length > 0;
  const pinnedKey = view.pin && tileKeyOf(view.pin);

  return (
    <div class={panel ? 'meeting meeting--with-panel' : 'meeting'}>
      <MeetingHeader
        title={title}
        locked={state.room?.locked ?? false}
        count={state.participants.length + 1}
        startedAt={state.startedAt}
        breakout={state.room?.breakout?.name}
        recordings={recordingIndicators(state.room?.recordings ?? [], recordingHere)}
        e2ee={state.room?.e2ee ?? false}
      />
      <VideoSizeContext.Provider value={reportVideoSize}>
        {view.large ? (
          <StageView tiles={tiles} large={view.large} layout={layout} menuFor={menuFor} pinnedKey={pinnedKey} onPin={view.locked ? undefined : view.togglePin} />
        ) : (
          <TileGrid tiles={tiles} menuFor={menuFor} pinnedKey={pinnedKey} onPin={view.locked ? undefined : view.togglePin} />
        )}
      </VideoSizeContext.Provider>
      {view.locked && (
        <div class="banner banner--quiet" role="status" data-testid="follow-me-banner">
          {t('followMe.following')}
        </div>
      )}
      <ConnectionBanner connection={state.connection} />
      {audioBlocked && (
        <button type="button" class="banner banner--action" onClick={() => playBlockedAudio(() => setAudioBlocked(false))}>
          {t('call.audioBlocked')}
        </button>
      )}
      <div class="remote-audio">
        {state.participants.map((p) => p.tracks.mic && <RemoteAudio key={p.id} participantId={p.id} track={p.tracks.mic} onBlocked={onAudioBlocked} />)}
      </div>
      {chatOpen && (
        <ChatPanel messages={state.chat} selfId={state.self?.id} participants={state.participants} onSend={sendChat} onClose={panels.close.chat} muted={state.self?.chatMuted ?? false} to={chatTo} onTo={setChatTo} />
      )}
      {panel === 'moderation' && state.room && (
        <ModerationPanel room={state.room} moderator={moderator} moderate={moderate} setFollowMe={(on) => moderate('setFollowMe', currentLayout(on))} onClose={panels.close.moderation} />
      )}
      {pollsOpen && <PollsPanel polls={state.polls} self={state.self} room={state.room} features={state.features} actions={pollActions} onClose={panels.close.polls} />}
      {speakerStatsOpen && <SpeakerStatsDialog conference={conference} selfId={state.self?.id} onClose={closeSpeakerStats} />}
      {participantsOpen && (
        <ParticipantsPane
          people={peopleOf(state, displayName)}
          moderation={moderator && avModeration ? { moderate, avModeration } : undefined}
          onClose={panels.close.participants}
        />
      )}
      {breakoutsOpen && (
        <BreakoutPanel
          rooms={state.breakoutRooms}
          current={state.room?.breakout ?? null}
          selfId={state.self?.id}
          mainRoom={[state.self, ...state.participants].flatMap((p) => (p ? [{ id: p.id, displayName: p.displayName }] : []))}
          moderate={moderator ? moderate : undefined}
          onJoin={joinBreakoutRoom}
          onClose={panels.close.breakouts}
        />
      )}
      {helpOpen && <ShortcutsHelp onClose={closeHelp} />}
      {/* Knocks and toasts share the top-right corner, beside an open side panel on wide screens. */}
      <div class={panel ? 'corner corner--beside-panel' : 'corner'}>
        {knocking && <KnockingPanel knocking={state.knocking} moderate={moderate} />}
        <Notices notices={notices} onDismiss={dismiss} stacked />
        <HostNotices notifications={hostNotifications} onDismiss={hideNotification} />
      </div>
      <Toolbar
        local={state.local}
        quality={choiceOf(state.video)}
        actions={actions}
        chatOpen={chatOpen}
        unread={unread}
        security={security}
        moderationOpen={panel === 'moderation'}
        pollsOpen={pollsOpen}
        unseenPolls={unseenPolls}
        speakerStatsOpen={speakerStatsOpen}
        handRaised={state.self?.handRaisedAt != null}
        tileView={view.mode === 'tile'}
        participantsOpen={participantsOpen}
        participantCount={state.participants.length + 1}
        layoutLocked={view.locked}
        breakouts={{ shown: moderator || state.breakoutRooms.length > 0 || Boolean(state.room?.breakout), open: breakoutsOpen }}
        recording={{
          controls: serverRecordingControls(state.room, moderator, state.features),
          local: { allowed: moderator && !config.localRecordingDisabled, active: recordingHere },
          actions: recordingActions,
        }}
      />
    </div>
  );
}

/** Runs inside a click, which is what browsers require before they play sound. */
function playBlockedAudio(done: () => void): void {
  const players = [...document.querySelectorAll<HTMLAudioElement>('audio[data-remote-audio]')];
  void Promise.allSettled(players.map((audio) => audio.play())).then(done);
}
