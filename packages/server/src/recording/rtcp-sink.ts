import { createSocket, type Socket } from 'node:dgram';

/**
 * Where the media server's taps send their RTCP (sender reports): a loopback socket
 * that reads and drops it. The recorder needs none of it (keyframes are asked for
 * by the server), and sent to the recorder's RTP port it would be taken for media.
 */
export class RtcpSink {
  private constructor(
    private readonly socket: Socket,
    readonly port: number,
  ) {}

  static open(): Promise<RtcpSink> {
    return new Promise((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.on('message', () => undefined);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        socket.on('error', () => undefined);
        resolve(new RtcpSink(socket, socket.address().port));
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}
