import { useEffect, useRef } from 'preact/hooks';
import { Emitter } from '../conference/emitter.js';
import type { Pin } from './stage.js';

/**
 * UI actions that live outside the Conference (panels, views), reachable by the
 * iframe API and keyboard shortcuts. The mounted Meeting fills these in; before
 * that they do nothing.
 */
export const meetingControls = {
  toggleChat: (): void => undefined,
  isChatOpen: (): boolean => false,
  toggleSpeakerStats: (): void => undefined,
  setTileView: (enabled: boolean): void => undefined,
  isTileView: (): boolean => false,
  /** Keeps a person's camera or screen large in stage view; undefined goes back to automatic. */
  pin: (pin: Pin | undefined): void => undefined,
  setParticipantsPaneOpen: (open: boolean): void => undefined,
  isParticipantsPaneOpen: (): boolean => false,
  /** Opens the chat with a private recipient chosen; cancelPrivateChat goes back to writing to everyone. */
  initiatePrivateChat: (participantId: string): void => undefined,
  cancelPrivateChat: (): void => undefined,
  /** Moderators: turn "follow me" on (everyone shows this person's layout) or off. */
  setFollowMe: (on: boolean): Promise<void> => Promise.resolve(),
  /** Shows or hides stage view's filmstrip. */
  toggleFilmStrip: (): void => undefined,
  /** The filmstrip's tile width and the large video's size in pixels (undefined: automatic), as the embedding page sets them. */
  resizeFilmStrip: (width: number): void => undefined,
  resizeLargeVideo: (width: number, height: number): void => undefined,
  /** A toast from the embedding page, and its removal by `uid`. */
  showNotification: (notification: HostNotification): void => undefined,
  hideNotification: (uid: string): void => undefined,
};

/** The iframe API's `showNotification` argument, checked. */
export interface HostNotification {
  uid: string;
  title: string;
  description: string;
  type: 'normal' | 'success' | 'warning' | 'error';
  /** Milliseconds shown; undefined: until hidden or dismissed. */
  timeout: number | undefined;
  /** Jitsi's `customActions`: buttons whose click the embedding page hears of (customNotificationActionTriggered). */
  actions: ReadonlyArray<{ label: string; uuid: string }>;
}

type UiEvents = {
  tileViewChanged: [enabled: boolean];
  participantsPaneToggled: [open: boolean];
  chatUpdated: [chat: { isOpen: boolean; unreadCount: number }];
  filmstripDisplayChanged: [visible: boolean];
  largeVideoChanged: [];
  notificationTriggered: [notification: HostNotification];
  /** One of an embedder's notification buttons was clicked (its `uuid`). */
  customNotificationActionTriggered: [uuid: string];
  /** A button listed in `buttonsWithNotifyClick` (Jitsi's key), and whether its own action was held back. */
  toolbarButtonClicked: [key: string, preventExecution: boolean];
  participantMenuButtonClick: [key: string, participantId: string, preventExecution: boolean];
  prejoinScreenLoaded: [];
  /** The prejoin's camera preview appeared or went away. */
  prejoinVideoChanged: [visible: boolean];
};

type ToggleEvent = 'tileViewChanged' | 'participantsPaneToggled' | 'filmstripDisplayChanged' | 'prejoinVideoChanged';

/** Changes in the UI that the iframe API reports to the embedding page. */
class MeetingEvents extends Emitter<UiEvents> {
  announce<E extends keyof UiEvents>(event: E, ...args: UiEvents[E]): void {
    this.emit(event, ...args);
  }
}

export const meetingEvents = new MeetingEvents();

/** Announces `value` whenever it changes after the first render (the embedding page asked for changes, not the start). */
export function useAnnounced(event: ToggleEvent, value: boolean): void {
  const previous = useRef(value);
  useEffect(() => {
    if (previous.current === value) return;
    previous.current = value;
    meetingEvents.announce(event, value);
  }, [event, value]);
}
