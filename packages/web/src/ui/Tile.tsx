import type { Role } from '@tertulia/protocol';
import type { ComponentChildren } from 'preact';
import { Avatar } from './Avatar.js';
import { TrackVideo } from './TrackVideo.js';
import { MicIcon, StarIcon } from './icons.js';

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
}

interface Props {
  tile: TileModel;
  /** Moderators' controls for this person, in the tile's corner. */
  menu?: ComponentChildren;
}

/** One video (or avatar) with its name, mute and moderator badges, and speaker highlight. */
export function Tile({ tile, menu }: Props) {
  const { participantId, source, self, speaking, name, label, role, audioMuted, track } = tile;
  const classes = ['tile', `tile--${source}`, speaking ? 'tile--speaking' : ''].filter(Boolean).join(' ');
  return (
    <div
      class={classes}
      data-testid="tile"
      data-participant-id={participantId}
      data-source={source}
      data-self={String(self)}
      data-speaking={String(speaking)}
      data-role={role}
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
        {source === 'camera' && role === 'moderator' && (
          <span class="tile__role" data-testid="moderator-badge" role="img" aria-label="Moderator" title="Moderator">
            <StarIcon />
          </span>
        )}
        <span class="tile__name" data-testid="tile-name">
          {label}
        </span>
      </div>
      {menu}
    </div>
  );
}
