import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface GetOptions {
  headers?: Record<string, string>;
  /** Another loopback source address (127.0.0.2, …), to appear as a different client. */
  localAddress?: string;
  /** CA certificate (PEM) an https:// server's certificate must chain to. */
  ca?: string;
}

export interface GetResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as sent: still compressed when content-encoding says so. */
  body: Buffer;
}

/**
 * A GET with what fetch cannot do: choose the source address, trust a test CA, and
 * see the body exactly as it came over the wire (fetch decompresses silently).
 */
export function httpGet(url: string, { headers = {}, localAddress, ca }: GetOptions = {}): Promise<GetResult> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, localAddress, ...(ca ? { ca } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
