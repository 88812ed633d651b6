import { Avatar } from './Avatar.js';
import { TrackVideo } from './TrackVideo.js';
import { MicIcon } from './icons.js';

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
  audioMuted: boolean;
  track: MediaStreamTrack | undefined;
}

/** One video (or avatar) with its name, mute badge and speaker highlight. */
export function Tile({ tile }: { tile: TileModel }) {
  const { participantId, source, self, speaking, name, label, audioMuted, track } = tile;
  const classes = ['tile', `tile--${source}`, speaking ? 'tile--speaking' : ''].filter(Boolean).join(' ');
  return (
    <div
      class={classes}
      data-testid="tile"
      data-participant-id={participantId}
      data-source={source}
      data-self={String(self)}
      data-speaking={String(speaking)}
    >
      {track ? (
        <TrackVideo track={track} mirrored={self && source === 'camera'} fit={source === 'screen' ? 'contain' : 'cover'} />
      ) : (
        <Avatar id={participantId} name={name} />
      )}
      <div class="tile__label">
        {source === 'camera' && audioMuted && (
          <span class="tile__muted" data-testid="muted-badge" role="img" aria-label="Microphone muted" title="Microphone muted">
            <MicIcon off />
          </span>
        )}
        <span class="tile__name" data-testid="tile-name">
          {label}
        </span>
      </div>
    </div>
  );
}
