import { request } from 'node:http';
import { INSTANCE_PATH, type InstanceAnswer } from '../http/instance-route.js';
import { PROBE_TIMEOUT_MS } from './tcp-probe.js';

/**
 * Asks http://<address>:<port> (as `domain`, in the Host header) for the instance route.
 * Resolves to the instance id when a Tertulia server answers, else undefined.
 */
export function fetchInstanceId(address: string, port: number, domain: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: address, port, path: INSTANCE_PATH, headers: { host: domain, accept: 'application/json' }, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(response.statusCode === 200 ? instanceIn(body) : undefined));
      response.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

function instanceIn(body: string): string | undefined {
  try {
    const answer = JSON.parse(body) as Partial<InstanceAnswer>;
    return answer.server === 'tertulia' && typeof answer.instance === 'string' ? answer.instance : undefined;
  } catch {
    return undefined;
  }
}
