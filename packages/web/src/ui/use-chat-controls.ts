import { useEffect, useRef, useState } from 'preact/hooks';
import { meetingControls, meetingEvents } from './meeting-controls.js';

/**
 * The chat's private recipient, which the iframe API's initiatePrivateChat and
 * cancelPrivateChat choose, and the chatUpdated event when the chat opens, closes
 * or its unread count changes (not for the first render: the page asked for changes).
 */
export function useChatControls(open: boolean, unreadCount: number, setOpen: (open: boolean) => void): [to: string, setTo: (id: string) => void] {
  const [to, setTo] = useState('');
  useEffect(() => {
    meetingControls.initiatePrivateChat = (participantId) => {
      setTo(participantId);
      setOpen(true);
    };
    meetingControls.cancelPrivateChat = () => setTo('');
  }, [setOpen]);
  const previous = useRef({ isOpen: open, unreadCount });
  useEffect(() => {
    if (previous.current.isOpen === open && previous.current.unreadCount === unreadCount) return;
    previous.current = { isOpen: open, unreadCount };
    meetingEvents.announce('chatUpdated', { isOpen: open, unreadCount });
  }, [open, unreadCount]);
  return [to, setTo];
}
