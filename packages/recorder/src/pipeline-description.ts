/*
 * GStreamer pipeline descriptions for the recording: the main pipeline (mixers,
 * encoders, outputs) and one branch per input. Text from users or the operator
 * (names, file paths, stream URLs) never goes into a description: it is set as a
 * property of a named element afterwards, so it cannot inject elements.
 */

/** An RTP stream arriving on a local UDP port. */
export interface RtpStream {
  port: number;
  /** video/VP8, video/H264 or audio/opus (case-insensitive, as mediasoup names them). */
  mimeType: string;
  payloadType: number;
}

export interface MainPipelineOptions {
  width: number;
  height: number;
  fps: number;
  videoBitrateKbps: number;
  audioOnly: boolean;
  /** The AAC encoder element present on this machine. */
  aacEncoder: string;
  /** How late an input may be: inputs added while playing must fit in it. */
  inputLatencyMs: number;
}

/** Element names the recording sets properties on or counts frames of. */
export const ELEMENT = {
  videoMixer: 'mix',
  audioMixer: 'amix',
  videoEncoder: 'venc',
  audioEncoder: 'aenc',
  /** The tees outputs are fed from. */
  videoTee: 'v',
  audioTee: 'a',
  /** In an output: the queues fed from the tees; its sink is named after its kind ('file', 'stream'). */
  videoIn: 'vin',
  audioIn: 'ain',
  /** In each input: the name shown on its tile. */
  label: 'label',
  /** In an audio input with its own file. */
  trackSink: 'track',
} as const;

/** AAC encoders in order of preference (avenc_aac from gstreamer1.0-libav, voaacenc from -plugins-bad). */
export const AAC_ENCODERS = ['avenc_aac', 'voaacenc'] as const;

const AUDIO_CAPS = 'audio/x-raw,rate=48000,channels=2';
const ns = (ms: number) => ms * 1_000_000;

function integer(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${what} must be a non-negative integer, not ${value}.`);
  return value;
}

/**
 * Mixers and encoders, ending in tees that outputs are added to and removed
 * from while it runs. Silent audio and a black 16×16 video from live sources keep
 * the mixers producing when nobody sends, so an output lasts as long as it ran.
 * The encoded formats are fixed (AVC and raw AAC) because both muxers take them
 * and an output added later cannot renegotiate what the encoders already make.
 */
export function mainPipeline(options: MainPipelineOptions): string {
  const fps = integer(options.fps, 'The frame rate');
  const latency = `min-upstream-latency=${ns(integer(options.inputLatencyMs, 'The input latency'))}`;
  const parts = [
    `audiomixer name=${ELEMENT.audioMixer} ${latency} ! audioconvert ! audioresample ! ${AUDIO_CAPS} ! ${options.aacEncoder} name=${ELEMENT.audioEncoder} ! ` +
      `aacparse ! audio/mpeg,mpegversion=4,stream-format=raw ! tee name=${ELEMENT.audioTee} allow-not-linked=true`,
    `audiotestsrc is-live=true wave=silence ! ${AUDIO_CAPS} ! ${ELEMENT.audioMixer}.`,
  ];
  if (!options.audioOnly) {
    // I420 throughout: left free, the compositor would blend in 64-bit RGBA, several times the work.
    // Colorimetry fixed: otherwise it follows the inputs, and an input of another kind
    // joining would change the encoder's caps mid-file, which mp4mux refuses.
    const raw = `video/x-raw,format=I420,colorimetry=bt709,width=${integer(options.width, 'The width')},height=${integer(options.height, 'The height')},framerate=${fps}/1`;
    parts.push(
      `compositor name=${ELEMENT.videoMixer} background=black ${latency} ! ${raw} ! ` +
        `x264enc name=${ELEMENT.videoEncoder} tune=zerolatency speed-preset=ultrafast bitrate=${integer(options.videoBitrateKbps, 'The video bitrate')} key-int-max=${2 * fps} ! ` +
        `h264parse ! video/x-h264,stream-format=avc,alignment=au ! tee name=${ELEMENT.videoTee} allow-not-linked=true`,
      `videotestsrc is-live=true pattern=black ! video/x-raw,format=I420,width=16,height=16,framerate=${fps}/1 ! ${ELEMENT.videoMixer}.`,
    );
  }
  return parts.join('  ');
}

export type OutputKind = 'file' | 'stream';

/** An output to add to the main pipeline: its description and which of its queues each tee feeds. */
export interface OutputDescription {
  description: string;
  feeds: Record<string, string>;
}

/**
 * A muxer and its sink. The file is fragmented MP4, each fragment written as it
 * completes (unbuffered), so it is playable up to the last second if the process
 * dies; the live stream is FLV over RTMP(S). The sink, named after the kind, gets
 * its location as a property afterwards, never written into the description.
 */
export function outputPipeline(kind: OutputKind, audioOnly: boolean): OutputDescription {
  const muxer = kind === 'file' ? 'mp4mux fragment-duration=1000' : 'flvmux streamable=true';
  // async=false: an output joins a running pipeline; a sink that prerolled would take the
  // pipeline out of PLAYING until it had, and a second output added meanwhile could stay paused.
  const sink = `${kind === 'file' ? 'filesink buffer-mode=unbuffered' : 'rtmp2sink'} name=${kind} async=false`;
  // Pads named: linked by caps, a queue (which takes anything) could land on the muxer's audio pad.
  const pad = (media: 'audio' | 'video') => (kind === 'file' ? `${media}_%u` : media);
  const parts = [`${muxer} name=mux ! ${sink}`, `queue name=${ELEMENT.audioIn} ! mux.${pad('audio')}`];
  const feeds: Record<string, string> = { [ELEMENT.audioIn]: ELEMENT.audioTee };
  if (!audioOnly) {
    parts.push(`queue name=${ELEMENT.videoIn} ! mux.${pad('video')}`);
    feeds[ELEMENT.videoIn] = ELEMENT.videoTee;
  }
  return { description: parts.join('  '), feeds };
}

type Codec = 'VP8' | 'H264' | 'OPUS';

function codecOf(stream: RtpStream, kind: 'video' | 'audio'): Codec {
  const [media, name] = stream.mimeType.split('/');
  const codec = name?.toUpperCase();
  const supported = kind === 'video' ? ['VP8', 'H264'] : ['OPUS'];
  if (media?.toLowerCase() !== kind || !codec || !supported.includes(codec)) {
    throw new Error(`The recorder cannot record ${stream.mimeType} as ${kind}: it takes ${supported.join(' or ')}.`);
  }
  return codec as Codec;
}

/**
 * Receives one RTP stream on loopback and reorders it. RTCP muxed on the same
 * port is dropped by the jitter buffer as invalid RTP (a warning, harmless):
 * keyframes are asked of the media server by whoever feeds the recording.
 */
function rtpSource(stream: RtpStream, media: 'video' | 'audio', codec: Codec, latencyMs: number): string {
  const clockRate = media === 'video' ? 90000 : 48000;
  const caps = `application/x-rtp,media=${media},encoding-name=${codec},payload=${integer(stream.payloadType, 'The payload type')},clock-rate=${clockRate}`;
  return `udpsrc address=127.0.0.1 port=${integer(stream.port, 'The RTP port')} caps="${caps}" ! rtpjitterbuffer latency=${integer(latencyMs, 'The jitter buffer latency')}`;
}

const DECODE: Record<Exclude<Codec, 'OPUS'>, string> = {
  // Frames before the first keyframe cannot be decoded: skip them rather than show garbage.
  VP8: 'rtpvp8depay wait-for-keyframe=true request-keyframe=true ! vp8dec',
  H264: 'rtph264depay request-keyframe=true ! h264parse ! avdec_h264',
};

/** The name goes in a bottom-left caption; textoverlay scales it with the video, so it stays readable once the tile is scaled. */
const CAPTION = `textoverlay name=${ELEMENT.label} valignment=bottom halignment=left shaded-background=true font-desc="Sans 18"`;

/** A camera or screen: RTP → decoded frames with the name on them, for the compositor. */
export function videoInput(stream: RtpStream, latencyMs: number): string {
  const codec = codecOf(stream, 'video');
  return `${rtpSource(stream, 'video', codec, latencyMs)} ! ${DECODE[codec as 'VP8' | 'H264']} ! videoconvert ! ${CAPTION} ! queue`;
}

/** The tile of someone without video: a dark card with the name in the middle. */
export function placeholderInput(fps: number): string {
  return (
    `videotestsrc is-live=true pattern=solid-color foreground-color=0xff262626 ! video/x-raw,format=I420,width=640,height=360,framerate=${integer(fps, 'The frame rate')}/1 ! ` +
    `textoverlay name=${ELEMENT.label} valignment=center halignment=center font-desc="Sans 28" ! queue`
  );
}

/**
 * A microphone: RTP → decoded audio for the mixer. With `ownFile`, the Opus
 * packets are also written, as they came (no re-encoding), to an Ogg file of
 * their own, whose location is set on the element named ELEMENT.trackSink.
 */
export function audioInput(stream: RtpStream, latencyMs: number, ownFile: boolean): string {
  const source = `${rtpSource(stream, 'audio', codecOf(stream, 'audio'), latencyMs)} ! rtpopusdepay`;
  const toMixer = `opusdec plc=true ! audioconvert ! audioresample ! ${AUDIO_CAPS} ! queue`;
  if (!ownFile) return `${source} ! ${toMixer}`;
  // async=false: a sink that prerolls would make the whole running pipeline wait for it (other inputs stall).
  return `${source} ! tee name=t ! queue ! opusparse ! oggmux ! filesink name=${ELEMENT.trackSink} async=false  t. ! queue ! ${toMixer}`;
}
