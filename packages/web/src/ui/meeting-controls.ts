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
};

type UiEvents = {
  tileViewChanged: [enabled: boolean];
  participantsPaneToggled: [open: boolean];
  chatUpdated: [chat: { isOpen: boolean; unreadCount: number }];
};

/** Changes in the UI that the iframe API reports to the embedding page. */
class MeetingEvents extends Emitter<UiEvents> {
  announce<E extends keyof UiEvents>(event: E, ...args: UiEvents[E]): void {
    this.emit(event, ...args);
  }
}

export const meetingEvents = new MeetingEvents();

/** Announces `value` whenever it changes after the first render (the embedding page asked for changes, not the start). */
export function useAnnounced(event: keyof UiEvents, value: boolean): void {
  const previous = useRef(value);
  useEffect(() => {
    if (previous.current === value) return;
    previous.current = value;
    meetingEvents.announce(event, value);
  }, [event, value]);
}
