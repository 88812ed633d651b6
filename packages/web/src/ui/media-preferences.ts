import { useEffect, useState } from 'preact/hooks';
import { Emitter } from '../conference/emitter.js';

/** How this person hears and sees the meeting locally; nothing here reaches the server. */
export interface MediaPreferences {
  /** Playback volume (0 to 1) per remote participant; absent: full volume. */
  volumes: Readonly<Record<string, number>>;
  /** The own camera tile is mirrored (the default), so moving left looks like moving left. */
  selfViewMirrored: boolean;
  /** The speaker remote audio plays on (HTMLMediaElement.setSinkId); undefined: the system default. */
  audioOutputDeviceId: string | undefined;
}

class PreferencesStore extends Emitter<{ change: [MediaPreferences] }> {
  #value: MediaPreferences = { volumes: {}, selfViewMirrored: true, audioOutputDeviceId: undefined };

  get value(): MediaPreferences {
    return this.#value;
  }

  update(patch: Partial<MediaPreferences>): void {
    this.#value = { ...this.#value, ...patch };
    this.emit('change', this.#value);
  }

  setVolume(participantId: string, volume: number): void {
    this.update({ volumes: { ...this.#value.volumes, [participantId]: volume } });
  }
}

/** Set by the iframe API (setParticipantVolume, toggleCameraMirror, setAudioOutputDevice); read by the tiles and remote audio. */
export const mediaPreferences = new PreferencesStore();

export function useMediaPreferences(): MediaPreferences {
  const [value, setValue] = useState(mediaPreferences.value);
  useEffect(() => mediaPreferences.on('change', setValue), []);
  return value;
}
