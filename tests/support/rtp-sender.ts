import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';

/** A UDP port nobody on 127.0.0.1 uses right now. */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  socket.close();
  return port;
}

export interface RtpSender {
  /** RTP ports on 127.0.0.1 it sends to, one per copy. */
  readonly videoPorts: number[];
  readonly audioPorts: number[];
  stop(): Promise<void>;
}

export const VP8_PAYLOAD = 96;
export const OPUS_PAYLOAD = 111;
export const H264_PAYLOAD = 102;

/** Encoder and payloader per codec, a keyframe every `gop` frames. */
const VIDEO_ENCODERS = {
  VP8: (gop: number) => `vp8enc deadline=1 cpu-used=8 keyframe-max-dist=${gop} ! rtpvp8pay pt=${VP8_PAYLOAD}`,
  H264: (gop: number) => `x264enc tune=zerolatency speed-preset=ultrafast key-int-max=${gop} ! rtph264pay pt=${H264_PAYLOAD} config-interval=-1`,
};

/**
 * A synthetic participant sending RTP over loopback, as a media server's
 * PlainTransport with rtcpMux would: a solid colour (0xRRGGBB) as VP8 (or H264) with a
 * keyframe every second, and a tone as Opus, each to its own UDP port, RTCP
 * sender reports on the same port as the RTP. With `copies`, the
 * same encoded streams go to that many pairs of ports (encoded once, as an SFU
 * forwards one stream to many consumers). `keyframeEvery` (frames, 30 a second)
 * spaces keyframes; the sender cannot be asked for one. `videoLoss` drops that
 * share of the video packets, as a lossy network would.
 */
export async function startRtpSender(
  colour: number,
  toneHz: number,
  { copies = 1, width = 320, height = 180, codec = 'VP8' as keyof typeof VIDEO_ENCODERS, keyframeEvery = 30, videoLoss = 0 } = {},
): Promise<RtpSender> {
  const ports = async () => Promise.all(Array.from({ length: copies }, freeUdpPort));
  const [videoPorts, audioPorts] = [await ports(), await ports()];
  const clients = (list: number[]) => `clients=${list.map((port) => `127.0.0.1:${port}`).join(',')}`;
  const argb = `0xff${colour.toString(16).padStart(6, '0')}`;
  // Session n of the rtpbin: RTP and its RTCP to the same ports.
  const session = (n: number, ports: number[]) =>
    `rtp.send_rtp_sink_${n} rtp.send_rtp_src_${n} ! multiudpsink ${clients(ports)} rtp.send_rtcp_src_${n} ! multiudpsink ${clients(ports)} sync=false async=false`;
  const description = [
    'rtpbin name=rtp',
    `videotestsrc is-live=true pattern=solid-color foreground-color=${argb} ! video/x-raw,width=${width},height=${height},framerate=30/1`,
    `! ${VIDEO_ENCODERS[codec](keyframeEvery)} ! identity drop-probability=${videoLoss} ! ${session(0, videoPorts)}`,
    `audiotestsrc is-live=true freq=${toneHz} ! audio/x-raw,rate=48000,channels=2 ! opusenc ! rtpopuspay pt=${OPUS_PAYLOAD} ! ${session(1, audioPorts)}`,
  ].join(' ');
  const child: ChildProcess = spawn('gst-launch-1.0', ['-q', ...description.split(' ')], { stdio: 'ignore' });
  return {
    videoPorts,
    audioPorts,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
