import type { ComponentChildren } from 'preact';
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Conference } from '../conference/conference.js';
import type { ConnectionFigures, QualityLevel } from '../conference/connection-quality.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import type { Language } from '../i18n/languages.js';
import type { TileModel } from './Tile.js';
import { useAnchoredPopup } from './use-anchored-popup.js';
import { ConnectionQualityContext, useConnectionQualities, useTileConnectionQuality } from './use-connection-quality.js';

/** Polls the meeting's stats once for every tile's indicator below it. */
export function ConnectionQualityProvider({ conference, children }: { conference: Conference; children: ComponentChildren }) {
  const qualities = useConnectionQualities(conference);
  return <ConnectionQualityContext.Provider value={qualities}>{children}</ConnectionQualityContext.Provider>;
}

const LEVEL_TEXT: Record<QualityLevel | 'unknown', MessageKey> = {
  good: 'connection.good',
  fair: 'connection.fair',
  poor: 'connection.poor',
  unknown: 'connection.unknown',
};
/** How many of the three bars are lit. */
const LIT_BARS: Record<QualityLevel | 'unknown', number> = { good: 3, fair: 2, poor: 1, unknown: 0 };

function Bars({ lit }: { lit: number }) {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      {[0, 1, 2].map((bar) => (
        <rect key={bar} class={bar < lit ? 'quality__bar quality__bar--lit' : 'quality__bar'} x={4 + bar * 6} y={16 - bar * 5} width="4" height={4 + bar * 5} rx="1" />
      ))}
    </svg>
  );
}

/** Each figure as the popover shows it, in the person's language; a dash while unknown. */
function formattedFigures(figures: ConnectionFigures | undefined, language: Language, t: ReturnType<typeof useI18n>['t']) {
  const number = (unit: string, value: number | undefined, digits = 0) =>
    value === undefined ? undefined : new Intl.NumberFormat(language, { style: 'unit', unit, maximumFractionDigits: digits }).format(value);
  const { width, height, framesPerSecond, bitrateKbps, lossPercent, roundTripTimeMs, codec, route } = figures ?? {};
  const rows: Array<[stat: string, label: MessageKey, value: string | undefined]> = [
    ['resolution', 'connection.resolution', width && height ? `${width}×${height}` : undefined],
    ['frameRate', 'connection.frameRate', framesPerSecond === undefined ? undefined : t('connection.fps', { value: Math.round(framesPerSecond) })],
    ['bitrate', 'connection.bitrate', number('kilobit-per-second', bitrateKbps)],
    ['loss', 'connection.loss', number('percent', lossPercent, 1)],
    ['roundTrip', 'connection.roundTrip', number('millisecond', roundTripTimeMs)],
    // "video/VP8" → "VP8".
    ['codec', 'connection.codec', codec?.replace(/^\w+\//, '')],
    ['path', 'connection.path', route && t(`connection.route.${route}`)],
  ];
  return rows;
}

/**
 * Bars in a tile's corner saying how well this video's connection runs (yours: what
 * you send), and a button opening the figures behind it.
 */
export function ConnectionIndicator({ tile }: { tile: TileModel }) {
  const { t, language } = useI18n();
  const figures = useTileConnectionQuality(tile.self, tile);
  const level = figures?.level ?? 'unknown';
  const quality = t(LEVEL_TEXT[level]);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const popup = useRef<HTMLDivElement>(null);
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  }, []);
  useAnchoredPopup(open, button, popup, close);
  // The popover takes focus so a screen reader reads the figures; Escape hands it back.
  useLayoutEffect(() => {
    if (open) popup.current?.focus();
  }, [open]);
  const popupId = `connection-stats-${tile.key}`;
  const title = tile.self ? t('connection.yours') : t('connection.theirs', { name: tile.name });

  return (
    <div class="tile__quality">
      <button
        type="button"
        ref={button}
        class={`quality quality--${level}`}
        data-testid="connection-indicator"
        data-level={level}
        aria-label={t('connection.button', { name: tile.label, quality })}
        title={quality}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? popupId : undefined}
        onClick={() => (open ? close(false) : setOpen(true))}
      >
        <Bars lit={LIT_BARS[level]} />
      </button>
      {open && (
        <div class="menu quality__popup" role="dialog" id={popupId} aria-label={title} ref={popup} tabIndex={-1} data-testid="connection-stats">
          <p class="quality__title">{title}</p>
          <p class={`quality__level quality--${level}`}>{quality}</p>
          <dl class="quality__figures">
            {formattedFigures(figures, language, t).map(([stat, label, value]) => (
              <div key={stat} class="quality__row">
                <dt>{t(label)}</dt>
                <dd data-testid="connection-stat" data-stat={stat}>
                  {value ?? '—'}
                </dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </div>
  );
}
