// The Debian packages the recorder (packages/recorder) runs on: GStreamer with the
// elements its pipelines use, and the Python bindings its pipeline host needs.
import { ensureDebianPackages } from './steps.mjs';

export const RECORDER_DEBIAN_PACKAGES = [
  'gstreamer1.0-tools',
  'gstreamer1.0-plugins-base', // compositor, audiomixer, test sources, Opus, Ogg
  'gstreamer1.0-plugins-good', // udpsrc, RTP depayloaders and jitter buffer, VP8, mp4mux, flvmux
  'gstreamer1.0-plugins-bad', // rtmp2sink, h264parse, opusparse, voaacenc
  'gstreamer1.0-plugins-ugly', // x264enc
  'gstreamer1.0-libav', // avenc_aac, avdec_h264
  'gstreamer1.0-x', // textoverlay (names on tiles)
  'python3-gi',
  'gir1.2-gstreamer-1.0',
  'gir1.2-gst-plugins-base-1.0',
];

/** Installs the recorder's GStreamer packages (as root), or says the apt line to run. */
export function ensureRecorderPackages() {
  return ensureDebianPackages(RECORDER_DEBIAN_PACKAGES, 'Recording and live streaming (ENABLE_RECORDING, ENABLE_LIVESTREAMING)');
}
