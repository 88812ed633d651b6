import type { RtpEncodingParameters } from 'mediasoup-client/types';

/** Three simulcast layers for the camera (a quarter, half and full capture height): the server forwards each receiver what fits. */
export const CAMERA_ENCODINGS: RtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];
export const SCREEN_ENCODINGS: RtpEncodingParameters[] = [{ maxBitrate: 2_500_000 }];

/**
 * The highest camera layer whose height fits within `maxHeight` (the person's quality
 * setting), for a capture `capturedHeight` high; the lowest layer always stays.
 */
export function cameraLayerFor(maxHeight: number, capturedHeight: number | undefined): number {
  const height = capturedHeight ?? 720;
  let layer = 0;
  for (const [index, encoding] of CAMERA_ENCODINGS.entries()) {
    if (Math.round(height / (encoding.scaleResolutionDownBy ?? 1)) <= maxHeight) layer = index;
  }
  return layer;
}
