import { z } from 'zod';
import { IceServer, RtpCapabilities, TransportOptions } from './media-types.js';

/*
 * The connectivity self-test (the /selftest page and the prejoin's "Test my
 * connection"): without joining a room, the browser gets transports on the media
 * port that accept only UDP or only TCP, and TURN credentials issued for the test.
 */

/** What a probe checks: UDP or TCP straight to the media port, or UDP to it through a TURN relay. */
export const ProbeCheck = z.enum(['udp', 'tcp', 'relay']);
export type ProbeCheck = z.infer<typeof ProbeCheck>;

export const SctpParameters = z.looseObject({
  port: z.number().int(),
  OS: z.number().int(),
  MIS: z.number().int(),
  maxMessageSize: z.number().int(),
});
export type SctpParameters = z.infer<typeof SctpParameters>;

/** One transport to connect to: ICE and DTLS complete only over the protocol it checks. */
export const ProbeTransport = TransportOptions.extend({
  check: ProbeCheck,
  /** The media port this probe is on (one per media worker). */
  port: z.number().int(),
  sctpParameters: SctpParameters,
});
export type ProbeTransport = z.infer<typeof ProbeTransport>;

export const SelfTestOffer = z.object({
  /** What the probe router speaks (mediasoup-client needs it to build the connection). */
  rtpCapabilities: RtpCapabilities,
  probes: z.array(ProbeTransport),
  /** The configured TURN servers with credentials issued for this test; empty when none is configured. */
  iceServers: z.array(IceServer),
  /** The configured P2P STUN servers (for information: the test does not depend on them). */
  stunServers: z.array(z.string()),
});
export type SelfTestOffer = z.infer<typeof SelfTestOffer>;
