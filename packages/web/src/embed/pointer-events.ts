import type { EventName } from '@tertulia/iframe-api/wire';

type Emit = (name: EventName, data?: Record<string, unknown>) => void;

/** As Jitsi's default `mouseMoveCallbackInterval`: at most one mouseMove a second, so a moving pointer does not flood the host page. */
const MOUSE_MOVE_INTERVAL_MS = 1_000;

/**
 * Jitsi's mouseEnter, mouseLeave and mouseMove: the pointer coming into the meeting's
 * frame, going out of it and moving over it, so the embedding page can, say, show its
 * own controls. Only positions go out, as Jitsi sends them, never what is under the pointer.
 */
export function forwardPointerEvents(emit: Emit): void {
  // mouseover/mouseout with no element on the other side: the pointer crossed the frame's edge.
  document.addEventListener('mouseover', (event) => {
    if (event.relatedTarget === null) emit('mouseEnter', { event: positionOf(event) });
  });
  document.addEventListener('mouseout', (event) => {
    if (event.relatedTarget === null) emit('mouseLeave', { event: positionOf(event) });
  });
  let lastMove = -Infinity;
  document.addEventListener('mousemove', (event) => {
    if (event.timeStamp - lastMove < MOUSE_MOVE_INTERVAL_MS) return;
    lastMove = event.timeStamp;
    emit('mouseMove', { event: positionOf(event) });
  });
}

function positionOf(event: MouseEvent) {
  const { clientX, clientY, movementX, movementY, offsetX, offsetY, pageX, pageY, x, y, screenX, screenY } = event;
  return { clientX, clientY, movementX, movementY, offsetX, offsetY, pageX, pageY, x, y, screenX, screenY };
}
