import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { PROBE_TIMEOUT_MS } from './tcp-probe.js';

export type StunTransport = 'udp' | 'tcp' | 'tls';

/**
 * How a STUN binding request ended: an answer (with the address the server saw
 * us from), refused (UDP: ICMP port unreachable; TCP: RST), silence, or another error.
 */
export type StunOutcome =
  | { kind: 'answer'; mapped: string }
  | { kind: 'refused' }
  | { kind: 'silence' }
  | { kind: 'error'; message: string };

/** UDP requests are repeated (lost packets are normal); the last one waits out the rest of the timeout. */
const UDP_RETRANSMIT_MS = [0, 500, 1500];
const STUN_HEADER_BYTES = 20;

/** Sends a STUN binding request to host:port over `transport` and waits for the response. */
export async function probeStun(host: string, port: number, transport: StunTransport, timeoutMs = PROBE_TIMEOUT_MS): Promise<StunOutcome> {
  // werift (the STUN messages) is a whole WebRTC stack: loaded only when a STUN check runs, never by `tertulia serve`.
  const { Message, methods, classes, parseMessage } = await import('werift');
  const request = new Message(methods.BINDING, classes.REQUEST);
  const answerIn = (data: Buffer): StunOutcome | undefined => {
    const response = parseMessage(data);
    if (!response || !response.transactionId.equals(request.transactionId)) return undefined;
    const mapped = (response.getAttributeValue('XOR-MAPPED-ADDRESS') ?? response.getAttributeValue('MAPPED-ADDRESS')) as [string, number] | undefined;
    return { kind: 'answer', mapped: mapped ? `${mapped[0]}:${mapped[1]}` : 'no mapped address in the answer' };
  };
  try {
    return transport === 'udp'
      ? await overUdp(host, port, request.bytes, answerIn, timeoutMs)
      : await overStream(host, port, transport, request.bytes, answerIn, timeoutMs);
  } catch (error) {
    return { kind: 'error', message: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

/** A connected UDP socket, so an ICMP port-unreachable comes back as ECONNREFUSED. */
async function overUdp(
  host: string,
  port: number,
  request: Buffer,
  answerIn: (data: Buffer) => StunOutcome | undefined,
  timeoutMs: number,
): Promise<StunOutcome> {
  const { address, family } = await lookup(host);
  const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
  const timers: NodeJS.Timeout[] = [];
  let settled = false;
  return new Promise<StunOutcome>((resolve) => {
    const done = (outcome: StunOutcome) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      socket.close();
      resolve(outcome);
    };
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'error', message: error.code ?? error.message }),
    );
    socket.on('message', (data) => {
      const outcome = answerIn(data);
      if (outcome) done(outcome);
    });
    socket.connect(port, address, () => {
      for (const delay of UDP_RETRANSMIT_MS) timers.push(setTimeout(() => socket.send(request), delay));
      timers.push(setTimeout(() => done({ kind: 'silence' }), timeoutMs));
    });
  });
}

/** STUN over TCP or TLS (RFC 8489 §6.2): the messages back to back on the stream, no extra framing. */
function overStream(
  host: string,
  port: number,
  transport: 'tcp' | 'tls',
  request: Buffer,
  answerIn: (data: Buffer) => StunOutcome | undefined,
  timeoutMs: number,
): Promise<StunOutcome> {
  return new Promise((resolve) => {
    const socket: Socket =
      transport === 'tls' ? connectTls({ host, port, servername: host }, () => socket.write(request)) : connectTcp({ host, port }, () => socket.write(request));
    let received = Buffer.alloc(0);
    const done = (outcome: StunOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done({ kind: 'silence' }));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'error', message: error.code ?? error.message }),
    );
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < STUN_HEADER_BYTES) return;
      const length = STUN_HEADER_BYTES + received.readUInt16BE(2);
      if (received.length < length) return;
      done(answerIn(received.subarray(0, length)) ?? { kind: 'error', message: 'the answer is not a STUN response to our request' });
    });
    socket.on('end', () => done({ kind: 'error', message: 'the server closed the connection without answering' }));
  });
}
