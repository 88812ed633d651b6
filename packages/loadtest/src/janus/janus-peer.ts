/**
 * werift PeerConnections for Janus: Opus and VP8 only, IPv4 host candidates only,
 * no trickle (every candidate in the SDP). What the Tertulia adapter negotiates
 * with mediasoup, so both SFUs do the same work per packet: no RTCP feedback (no
 * NACK, so no retransmission buffers; the synthetic subscribers send no NACKs
 * anyway), no RTX and no header extensions.
 */
import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import type { Jsep } from './janus-api.js';

export const OPUS_PAYLOAD_TYPE = 111;
export const VP8_PAYLOAD_TYPE = 96;

export function newPeerConnection(): RTCPeerConnection {
  return new RTCPeerConnection({
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: OPUS_PAYLOAD_TYPE })],
      video: [
        new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, payloadType: VP8_PAYLOAD_TYPE, rtcpFeedback: [] }),
      ],
    },
    iceUseIpv6: false,
    // One ICE transport for audio and video; with two, werift keeps the unbundled one's socket open after close.
    bundlePolicy: 'max-bundle',
  });
}

/** Our local description once ICE gathering is done, so it carries every candidate. */
export async function gatheredDescription(pc: RTCPeerConnection): Promise<Jsep> {
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      const { unSubscribe } = pc.iceGatheringStateChange.subscribe((state) => {
        if (state !== 'complete') return;
        unSubscribe();
        resolve();
      });
    });
  }
  const description = pc.localDescription;
  if (!description) throw new Error('no local description to send to Janus');
  return { type: description.type as Jsep['type'], sdp: description.sdp };
}

/** Generous: joins under a loaded machine's ramp-up queue behind many DTLS handshakes. */
const CONNECT_TIMEOUT_MS = 20_000;

/** Resolves when the PeerConnection's DTLS is up, rejects if it fails or closes first. */
export function connected(pc: RTCPeerConnection): Promise<void> {
  if (pc.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`the connection to Janus did not come up within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    const { unSubscribe } = pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') finish();
      else if (state === 'failed' || state === 'closed') finish(new Error(`the connection to Janus ${state}`));
    });
    function finish(error?: Error): void {
      clearTimeout(timer);
      unSubscribe();
      if (error) reject(error);
      else resolve();
    }
  });
}
