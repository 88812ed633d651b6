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
  file: boolean;
  rtmp: boolean;
  /** How late an input may be: inputs added while playing must fit in it. */
  inputLatencyMs: number;
}

/** Element names the recording sets properties on or counts frames of. */
export const ELEMENT = {
  videoMixer: 'mix',
  audioMixer: 'amix',
  videoEncoder: 'venc',
  audioEncoder: 'aenc',
  fileSink: 'file',
  rtmpSink: 'rtmp',
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
 * Mixers, encoders and outputs. Silent audio and a black 16×16 video from live
 * sources keep the mixers producing when nobody sends, so the output lasts as
 * long as the recording ran. Outputs: fragmented MP4 (playable up to the last
 * second if the process dies) and/or FLV over RTMP.
 */
export function mainPipeline(options: MainPipelineOptions): string {
  const fps = integer(options.fps, 'The frame rate');
  const latency = `min-upstream-latency=${ns(integer(options.inputLatencyMs, 'The input latency'))}`;
  const parts = [
    `audiomixer name=${ELEMENT.audioMixer} ${latency} ! audioconvert ! audioresample ! ${AUDIO_CAPS} ! ${options.aacEncoder} name=${ELEMENT.audioEncoder} ! aacparse ! tee name=a`,
    `audiotestsrc is-live=true wave=silence ! ${AUDIO_CAPS} ! ${ELEMENT.audioMixer}.`,
  ];
  if (!options.audioOnly) {
    // I420 throughout: left free, the compositor would blend in 64-bit RGBA, several times the work.
    // Colorimetry fixed: otherwise it follows the inputs, and an input of another kind
    // joining would change the encoder's caps mid-file, which mp4mux refuses.
    const raw = `video/x-raw,format=I420,colorimetry=bt709,width=${integer(options.width, 'The width')},height=${integer(options.height, 'The height')},framerate=${fps}/1`;
    parts.push(
      `compositor name=${ELEMENT.videoMixer} background=black ${latency} ! ${raw} ! ` +
        `x264enc name=${ELEMENT.videoEncoder} tune=zerolatency speed-preset=veryfast bitrate=${integer(options.videoBitrateKbps, 'The video bitrate')} key-int-max=${2 * fps} ! h264parse ! tee name=v`,
      `videotestsrc is-live=true pattern=black ! video/x-raw,format=I420,width=16,height=16,framerate=${fps}/1 ! ${ELEMENT.videoMixer}.`,
    );
  }
  const streams = options.audioOnly ? ['a'] : ['v', 'a'];
  const feed = (mux: string) => streams.map((tee) => `${tee}. ! queue ! ${mux}.`).join(' ');
  if (options.file) {
    // Unbuffered: each fragment reaches the disk when it is complete, not when 64 KB have piled up.
    parts.push(`mp4mux name=mp4 fragment-duration=1000 ! filesink name=${ELEMENT.fileSink} buffer-mode=unbuffered`, feed('mp4'));
  }
  if (options.rtmp) {
    parts.push(`flvmux name=flv streamable=true ! rtmp2sink name=${ELEMENT.rtmpSink}`, feed('flv'));
  }
  if (!options.file && !options.rtmp) throw new Error('A recording needs an output: a file, an RTMP URL or both.');
  return parts.join('  ');
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
