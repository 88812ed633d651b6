import type { Reaction } from '@tertulia/protocol';
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Conference } from '../conference/conference.js';
import { useI18n } from '../i18n/i18n.js';
import { looksOf } from './reaction-emoji.js';

/** How long a reaction floats over its sender's tile (the CSS animation lasts as long). */
const FLOAT_MS = 4_000;
/** At most this many on screen at once, however many people react together. */
const MAX_FLOATING = 40;

interface FloatingReaction {
  id: number;
  participantId: string;
  reaction: Reaction;
  /** Sideways offset in % of the tile, so reactions sent together do not cover each other. */
  drift: number;
}

let nextId = 1;

/** Reactions received in the last few seconds, the person's own included; each is dropped when its time is up. */
function useFloatingReactions(conference: Conference): FloatingReaction[] {
  const [floating, setFloating] = useState<FloatingReaction[]>([]);
  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const off = conference.on('reaction', (participantId, reaction) => {
      const id = nextId++;
      const drift = ((id * 37) % 61) - 30;
      setFloating((list) => [...list.slice(-(MAX_FLOATING - 1)), { id, participantId, reaction, drift }]);
      const timer = setTimeout(() => {
        timers.delete(timer);
        setFloating((list) => list.filter((f) => f.id !== id));
      }, FLOAT_MS);
      timers.add(timer);
    });
    return () => {
      off();
      timers.forEach(clearTimeout);
    };
  }, [conference]);
  return floating;
}

/** The call's floating reactions, for every tile (in any layout) to pick its sender's from. */
const FloatingReactionsContext = createContext<FloatingReaction[]>([]);

/**
 * Gives the tiles inside it the floating reactions. The list lives here rather than in the
 * call, so a reaction arriving or ending re-renders the tiles' reactions, not the whole call.
 */
export function FloatingReactions({ conference, children }: { conference: Conference; children: ComponentChildren }) {
  const floating = useFloatingReactions(conference);
  return <FloatingReactionsContext.Provider value={floating}>{children}</FloatingReactionsContext.Provider>;
}

/** The reactions rising over one person's tile. */
export function TileReactions({ participantId, name }: { participantId: string; name: string }) {
  const { t } = useI18n();
  const mine = useContext(FloatingReactionsContext).filter((f) => f.participantId === participantId);
  if (mine.length === 0) return null;
  return (
    <div class="tile__reactions">
      {mine.map(({ id, reaction, drift }) => {
        const { emoji, name: reactionName } = looksOf(reaction);
        return (
          <span
            key={id}
            class="reaction-float"
            role="img"
            aria-label={t('reactions.from', { name, reaction: t(reactionName) })}
            data-testid="reaction"
            data-reaction={reaction}
            style={{ '--drift': `${drift}%`, animationDuration: `${FLOAT_MS}ms` }}
          >
            {emoji}
          </span>
        );
      })}
    </div>
  );
}
