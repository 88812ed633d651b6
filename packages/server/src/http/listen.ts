import { realpathSync } from 'node:fs';
import type { Server } from 'node:net';

/** Binds `server`, turning the usual failures into what to do about them (`setting` names the port's setting). */
export function listenOn(server: Server, port: number, host: string, setting: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(new Error(listenFailure(error, port, setting), { cause: error }));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

export function listenFailure(error: NodeJS.ErrnoException, port: number, setting: string): string {
  if (error.code === 'EACCES') {
    return (
      `cannot bind port ${port} (${setting}): ports below 1024 need root or the CAP_NET_BIND_SERVICE capability. ` +
      `Run Tertulia as a service (\`sudo npx tertulia install-service\` grants that capability), or give it to Node once with ` +
      `\`sudo setcap cap_net_bind_service=+ep ${realpathSync(process.execPath)}\`, or set ${setting} to a port above 1023.`
    );
  }
  if (error.code === 'EADDRINUSE') {
    return `port ${port} (${setting}) is already in use by another program (\`sudo ss -ltnp 'sport = :${port}'\` shows which; nginx or apache?): stop it, or set ${setting} to a free port.`;
  }
  if (error.code === 'EADDRNOTAVAIL') return `cannot bind port ${port} (${setting}): the address is not one of this machine's; check HOST.`;
  return `cannot bind port ${port} (${setting}): ${error.message}`;
}
