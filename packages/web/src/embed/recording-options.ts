import type { RecordingMode, RequestData } from '@tertulia/protocol';
import { streamUrlOf } from '../conference/stream-url.js';

/** What an embedder's startRecording asks for: a recording or live stream on the server, or one on this device. */
export type RecordingRequest = RequestData<'startRecording'> | { mode: 'local' };

/** Jitsi's recording modes, 'local' being Jitsi's in-browser recording. */
export function recordingModeOf(value: unknown): RecordingMode | 'local' {
  if (value === 'file' || value === 'stream' || value === 'local') return value;
  throw new Error(`expected a recording mode ('file', 'stream' or 'local'), got ${JSON.stringify(value)}`);
}

/**
 * Jitsi's `startRecording({ mode, rtmpStreamKey, youtubeStreamKey, extraMetadata, … })`
 * as a request. A stream key may be a whole rtmp(s):// address or a bare key, which goes
 * to YouTube (rtmpStreamKey first, as Jitsi). The broadcast ids pick a YouTube broadcast
 * through Google's API, which a stream straight to an RTMP address does not need.
 */
export function recordingRequestOf(options: unknown): RecordingRequest {
  if (typeof options !== 'object' || options === null) throw new Error('expected recording options ({ mode, … })');
  const { mode: rawMode, rtmpStreamKey, youtubeStreamKey, extraMetadata } = options as Record<string, unknown>;
  const mode = recordingModeOf(rawMode);
  if (mode === 'local') return { mode };
  const metadata = extraMetadataOf(extraMetadata);
  if (mode === 'file') return { mode, ...metadata };
  const key = [rtmpStreamKey, youtubeStreamKey].find((k) => typeof k === 'string' && k.trim() !== '') as string | undefined;
  if (key === undefined) throw new Error('a live stream needs rtmpStreamKey (an rtmp:// or rtmps:// address, or a YouTube key) or youtubeStreamKey');
  const streamUrl = streamUrlOf(key);
  if (!streamUrl) throw new Error('the stream key is neither an rtmp:// or rtmps:// address nor a stream key');
  return { mode, streamUrl, ...metadata };
}

function extraMetadataOf(value: unknown): { extraMetadata?: Record<string, unknown> } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('expected extraMetadata to be an object');
  return { extraMetadata: value as Record<string, unknown> };
}
