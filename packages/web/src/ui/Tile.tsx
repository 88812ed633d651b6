import type { Role } from '@tertulia/protocol';
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import { pageConfig } from '../config/page-config.js';
import { useI18n } from '../i18n/i18n.js';
import { Avatar } from './Avatar.js';
import { TrackVideo } from './TrackVideo.js';
import { LockIcon, MicIcon, StarIcon } from './icons.js';
import { HandBadge } from './HandBadge.js';
import { TileReactions } from './FloatingReactions.js';
import { TilePin } from './TilePin.js';
import { ConnectionIndicator } from './ConnectionIndicator.js';
import { useMediaPreferences } from './media-preferences.js';
import { useReportedVideoSize } from './video-size-report.js';
import { useDrawnHeight } from './use-drawn-height.js';
import { useSelfViewTrack } from './use-self-view-track.js';
import { heldBackNote, type VideoHold } from './video-hold.js';

export interface TileModel {
  /** Unique among tiles: participant id plus source. */
  key: string;
  participantId: string;
  source: 'camera' | 'screen';
  self: boolean;
  speaking: boolean;
  /** The person's name, for the avatar. */
  name: string;
  /** What the tile's label says. */
  label: string;
  /** Unknown for yourself until the server has let you in. */
  role: Role | undefined;
  audioMuted: boolean;
  track: MediaStreamTrack | undefined;
  /** The person's place in the raised-hand queue (1 is next), when their hand is up. */
  handPosition: number | undefined;
  /** Why this video is not shown: the server holds it back, or this person chose audio only. Undefined: it flows. */
  videoHeldBack: VideoHold | undefined;
  /** This person's media reaches us end-to-end encrypted. */
  encrypted?: boolean;
  /** The verification code of our exchanged keys, to compare with theirs. */
  encryptionCode?: string | undefined;
}

interface Props {
  tile: TileModel;
  /** Moderators' controls for this person, in the tile's corner. */
  menu?: ComponentChildren;
  /** Whether this tile is pinned large in stage view; with `onPin`, the tile has a pin button. */
  pinned?: boolean;
  onPin?: (() => void) | undefined;
}

/** The lock on a tile whose media arrives encrypted; with exchanged keys it tells the code to compare with that person. */
function EncryptedBadge({ code }: { code: string | undefined }) {
  const { t } = useI18n();
  const label = code ? t('e2ee.participantEncryptedCode', { code }) : t('e2ee.participantEncrypted');
  return (
    <span class="tile__e2ee" data-testid="e2ee-badge" data-code={code} role="img" aria-label={label} title={label}>
      <LockIcon />
    </span>
  );
}

/** One video (or avatar) with its name, mute and moderator badges, and speaker highlight. */
export function Tile({ tile, menu, pinned = false, onPin }: Props) {
  const { t } = useI18n();
  const { participantId, source, self, speaking, name, label, role, audioMuted, track } = tile;
  const { selfViewMirrored } = useMediaPreferences();
  const root = useRef<HTMLDivElement>(null);
  const drawnHeight = useDrawnHeight(root);
  useReportedVideoSize(tile, drawnHeight);
  const selfView = useSelfViewTrack(self && source === 'camera' ? track : undefined, drawnHeight);
  const shown = self && source === 'camera' ? selfView : track;
  const note = heldBackNote(tile.videoHeldBack);
  const classes = ['tile', `tile--${source}`, speaking ? 'tile--speaking' : ''].filter(Boolean).join(' ');
  return (
    <div
      ref={root}
      class={classes}
      data-testid="tile"
      data-participant-id={participantId}
      data-source={source}
      data-self={String(self)}
      data-speaking={String(speaking)}
      data-role={role}
    >
      {shown && !note ? (
        <TrackVideo track={shown} mirrored={self && source === 'camera' && selfViewMirrored} fit={source === 'screen' ? 'contain' : 'cover'} />
      ) : (
        <Avatar id={participantId} name={name} />
      )}
      {note && (
        <p class="tile__note" data-testid="video-held-back" data-reason={tile.videoHeldBack} title={t(note)}>
          {t(note)}
        </p>
      )}
      <div class="tile__label">
        {source === 'camera' && audioMuted && (
          <span class="tile__muted" data-testid="muted-badge" role="img" aria-label={t('call.micMuted')} title={t('call.micMuted')}>
            <MicIcon off />
          </span>
        )}
        {source === 'camera' && tile.encrypted && <EncryptedBadge code={tile.encryptionCode} />}
        {source === 'camera' && role === 'moderator' && !pageConfig().disableModeratorIndicator && (
          <span class="tile__role" data-testid="moderator-badge" role="img" aria-label={t('call.moderator')} title={t('call.moderator')}>
            <StarIcon />
          </span>
        )}
        <span class="tile__name" data-testid="tile-name">
          {label}
        </span>
      </div>
      {source === 'camera' && tile.handPosition !== undefined && <HandBadge position={tile.handPosition} />}
      {source === 'camera' && <TileReactions participantId={participantId} name={name} />}
      {onPin && <TilePin name={label} pinned={pinned} onToggle={onPin} />}
      <ConnectionIndicator tile={tile} />
      {menu}
    </div>
  );
}
