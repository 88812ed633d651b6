import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useElementSize } from './use-element-size.js';

/**
 * How many device pixels high an element is drawn (CSS height × devicePixelRatio):
 * 0 while it is scrolled out of view or the page is in the background, because
 * then nobody sees it and the server need not send its video.
 */
export function useDrawnHeight(ref: RefObject<HTMLElement>): number {
  const { height } = useElementSize(ref);
  const onScreen = useOnScreen(ref);
  const pageVisible = usePageVisible();
  return onScreen && pageVisible ? Math.round(height * devicePixelRatio) : 0;
}

/** Whether any of the element shows inside the viewport and the scrolling areas around it. */
function useOnScreen(ref: RefObject<HTMLElement>): boolean {
  const [onScreen, setOnScreen] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new IntersectionObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) setOnScreen(last.isIntersecting);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return onScreen;
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(document.visibilityState === 'visible');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}
