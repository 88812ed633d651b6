import { randomInt } from 'node:crypto';
import { RtcpSenderInfo, RtcpSrPacket, RtpHeader, type RtcpPacket } from 'werift';
import { readIvf, type IvfFile } from './ivf.js';
import { readOggOpusPackets } from './ogg.js';
import type { MediaFiles } from './types.js';
import { packetizeVp8 } from './vp8-packetizer.js';

/** Where encrypted RTP and RTCP go: a werift RTCDtlsTransport (or anything with its sendRtp and sendRtcp). */
export interface RtpSink {
  sendRtp(payload: Buffer, header: RtpHeader): Promise<number>;
  sendRtcp(packets: RtcpPacket[]): Promise<unknown>;
}

/** How one stream is stamped on the wire. */
export interface RtpStreamIds {
  ssrc: number;
  payloadType: number;
}

export interface PublishOptions {
  sink: RtpSink;
  media: MediaFiles;
  /** Omitted: no audio. */
  audio?: RtpStreamIds;
  /** One stream per simulcast layer sent; `layer` indexes `media.videoIvf`. Empty: no video. */
  video: Array<RtpStreamIds & { layer: number }>;
}

export interface Publisher {
  /** RTP packets handed to the sink so far. */
  readonly packetsSent: number;
  /** Sends only the video layers up to this index (-1: none), as a browser stops encoding layers nobody receives. */
  setMaxLayer(index: number): void;
  stop(): void;
}

const AUDIO_FRAME_MS = 20;
const AUDIO_SAMPLES_PER_FRAME = 960; // 20 ms at 48 kHz
const VIDEO_CLOCK = 90_000;
/** How often due frames are sent: fine enough for 20 ms audio, coarse enough for many publishers per thread. */
const TICK_MS = 10;
/**
 * Sender Reports, as a browser sends them: an SFU needs them to switch a subscriber between
 * simulcast layers (mediasoup maps one layer's timestamps onto another's through them).
 */
const SENDER_REPORT_MS = 1_000;
/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2_208_988_800n;

/** Parsed files, shared by every publisher of this thread (they are read-only). */
const ivfCache = new Map<string, IvfFile>();
const oggCache = new Map<string, Buffer[]>();

function ivf(path: string): IvfFile {
  let file = ivfCache.get(path);
  if (!file) ivfCache.set(path, (file = readIvf(path)));
  return file;
}

function opus(path: string): Buffer[] {
  let packets = oggCache.get(path);
  if (!packets) oggCache.set(path, (packets = readOggOpusPackets(path)));
  return packets;
}

interface StreamState {
  ids: RtpStreamIds;
  clockRate: number;
  sequence: number;
  timestampBase: number;
  packets: number;
  octets: number;
}

function streamState(ids: RtpStreamIds, clockRate: number): StreamState {
  return { ids, clockRate, sequence: randomInt(0x10000), timestampBase: randomInt(0x100000000), packets: 0, octets: 0 };
}

/** The 64-bit NTP form of a Unix time in milliseconds. */
function ntpTime(unixMs: number): bigint {
  const seconds = BigInt(Math.floor(unixMs / 1000)) + NTP_UNIX_OFFSET;
  const fraction = BigInt(Math.floor(((unixMs % 1000) / 1000) * 2 ** 32));
  return (seconds << 32n) | fraction;
}

/**
 * Sends the looped media at the files' real pace: Opus every 20 ms, VP8 frames at the files'
 * frame rate (all layers of a frame share its RTP timestamp, as a simulcast encoder's do). Sequence
 * numbers, timestamps and picture ids run on across loops, so receivers see one endless stream.
 */
export function startPublishing({ sink, media, audio, video }: PublishOptions): Publisher {
  const audioPackets = audio ? opus(media.audioOgg) : [];
  const audioStream = audio && streamState(audio, 48_000);
  const layers = video.map((ids) => {
    const path = media.videoIvf[ids.layer];
    if (!path) throw new Error(`No video file for layer ${ids.layer}`);
    return { file: ivf(path), stream: streamState(ids, VIDEO_CLOCK), pictureId: randomInt(0x8000) };
  });
  const frameSeconds = layers[0] ? layers[0].file.timebaseNumerator / layers[0].file.timebaseDenominator : 0;
  const startedAt = performance.now();
  const startedAtUnixMs = Date.now();
  let nextReportAt = 0;
  let audioSent = 0;
  let videoSent = 0;
  let packetsSent = 0;
  let maxLayer = layers.length - 1;

  const send = (state: StreamState, payload: Buffer, timestamp: number, marker: boolean): void => {
    const header = new RtpHeader({
      payloadType: state.ids.payloadType,
      ssrc: state.ids.ssrc,
      sequenceNumber: state.sequence,
      timestamp: (state.timestampBase + timestamp) >>> 0,
      marker,
    });
    state.sequence = (state.sequence + 1) & 0xffff;
    state.packets++;
    state.octets += payload.length;
    packetsSent++;
    void sink.sendRtp(payload, header);
  };

  /** One Sender Report per stream being sent, mapping now onto each stream's RTP clock. */
  const report = (elapsedMs: number): void => {
    const ntpTimestamp = ntpTime(startedAtUnixMs + elapsedMs);
    const streams = [...(audioStream ? [audioStream] : []), ...layers.slice(0, maxLayer + 1).map((layer) => layer.stream)];
    const packets = streams.map(
      (state) =>
        new RtcpSrPacket({
          ssrc: state.ids.ssrc,
          senderInfo: new RtcpSenderInfo({
            ntpTimestamp,
            rtpTimestamp: (state.timestampBase + Math.round((elapsedMs * state.clockRate) / 1000)) >>> 0,
            packetCount: state.packets >>> 0,
            octetCount: state.octets >>> 0,
          }),
        }),
    );
    if (packets.length > 0) void sink.sendRtcp(packets);
  };

  const tick = (): void => {
    const elapsedMs = performance.now() - startedAt;
    if (audioStream) {
      for (const due = Math.floor(elapsedMs / AUDIO_FRAME_MS); audioSent <= due; audioSent++) {
        send(audioStream, audioPackets[audioSent % audioPackets.length]!, audioSent * AUDIO_SAMPLES_PER_FRAME, false);
      }
    }
    if (layers.length > 0) {
      for (const due = Math.floor(elapsedMs / 1000 / frameSeconds); videoSent <= due; videoSent++) {
        const timestamp = Math.round(videoSent * frameSeconds * VIDEO_CLOCK);
        for (const layer of layers.slice(0, maxLayer + 1)) {
          const frame = layer.file.frames[videoSent % layer.file.frames.length]!;
          const payloads = packetizeVp8(frame.data, layer.pictureId);
          layer.pictureId = (layer.pictureId + 1) & 0x7fff;
          payloads.forEach((payload, index) => send(layer.stream, payload, timestamp, index === payloads.length - 1));
        }
      }
    }
    if (elapsedMs >= nextReportAt) {
      report(elapsedMs);
      nextReportAt = elapsedMs + SENDER_REPORT_MS;
    }
  };

  tick();
  const timer = setInterval(tick, TICK_MS);
  return {
    get packetsSent() {
      return packetsSent;
    },
    setMaxLayer: (index) => {
      maxLayer = Math.min(index, layers.length - 1);
    },
    stop: () => clearInterval(timer),
  };
}
