/** Where a bare YouTube stream key is streamed to (YouTube Live's primary RTMP ingest, as Jitsi uses it). */
export const YOUTUBE_INGEST = 'rtmp://a.rtmp.youtube.com/live2/';

/** A stream key as streaming services hand them out: letters, digits, dashes and underscores. */
const STREAM_KEY = /^[\w-]{4,256}$/;
const RTMP_URL = /^rtmps?:\/\/[^\s/]+\/\S+$/i;

/**
 * The RTMP(S) address to stream to, from what a person pastes or an embedder passes:
 * a whole rtmp:// or rtmps:// address is taken as it is, a bare key goes to YouTube.
 * Undefined when it is neither.
 */
export function streamUrlOf(keyOrUrl: string): string | undefined {
  const value = keyOrUrl.trim();
  if (RTMP_URL.test(value)) return value;
  if (STREAM_KEY.test(value)) return `${YOUTUBE_INGEST}${value}`;
  return undefined;
}
