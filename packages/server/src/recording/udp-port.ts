import { createSocket } from 'node:dgram';

/**
 * A UDP port free on loopback right now, for a recorder input: bound and released,
 * so the recorder can bind it a moment later (the kernel does not hand a just-freed
 * ephemeral port out again straight away).
 */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
