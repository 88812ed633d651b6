/**
 * UI actions that live outside the Conference (panels, views), reachable by the
 * iframe API. The mounted Meeting fills these in; before that they do nothing.
 */
export const meetingControls = {
  toggleChat: (): void => undefined,
  isChatOpen: (): boolean => false,
};
