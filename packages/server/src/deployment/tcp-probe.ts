import { connect } from 'node:net';

/** How a TCP connection attempt ended: accepted, refused (nothing listens, or a firewall rejects), or no answer at all (dropped). */
export type TcpOutcome = { kind: 'open' } | { kind: 'refused' } | { kind: 'timeout' } | { kind: 'error'; message: string };

export const PROBE_TIMEOUT_MS = 3000;

/** Opens and at once closes a TCP connection to host:port. */
export function probeTcp(host: string, port: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<TcpOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: TcpOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done({ kind: 'timeout' }));
    socket.once('connect', () => done({ kind: 'open' }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'error', message: error.code ?? error.message }),
    );
  });
}

export function describeTcpFailure(outcome: Exclude<TcpOutcome, { kind: 'open' }>): string {
  if (outcome.kind === 'refused') return 'connection refused (nothing listens there, or a firewall rejects it)';
  if (outcome.kind === 'timeout') return `no answer within ${PROBE_TIMEOUT_MS / 1000} s (a firewall drops it)`;
  return outcome.message;
}
