import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

type Encoding = 'br' | 'gzip' | 'identity';

interface Variant {
  body: Buffer;
  etag: string;
}

export interface MemoryFileOptions {
  /** Content-Type of the body. */
  type: string;
  /** Cache-Control; with validators, a revalidation costs a 304 and no body. */
  cacheControl: string;
}

/**
 * A small response kept in memory (index.html, external_api.js): compressed once
 * with Brotli and gzip, sent in the encoding the client accepts, with an ETag per
 * encoding and Last-Modified so a revalidation gets 304 Not Modified.
 */
export class MemoryFile {
  readonly #variants: Record<Encoding, Variant>;
  /** When this server started serving the body: a restart (with possibly new content) is always newer. */
  readonly #lastModified = new Date(Math.floor(Date.now() / 1000) * 1000);

  constructor(
    body: string | Buffer,
    readonly options: MemoryFileOptions,
  ) {
    const identity = Buffer.from(body);
    const tag = createHash('sha256').update(identity).digest('base64url').slice(0, 22);
    const smaller = (compressed: Buffer) => (compressed.length < identity.length ? compressed : identity);
    const br = smaller(brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }));
    const gzip = smaller(gzipSync(identity, { level: 9 }));
    this.#variants = {
      identity: { body: identity, etag: `"${tag}"` },
      br: br === identity ? { body: identity, etag: `"${tag}"` } : { body: br, etag: `"${tag}-br"` },
      gzip: gzip === identity ? { body: identity, etag: `"${tag}"` } : { body: gzip, etag: `"${tag}-gz"` },
    };
  }

  send(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const encoding = acceptedEncoding(request.headers['accept-encoding']);
    const variant = this.#variants[encoding];
    reply
      .header('content-type', this.options.type)
      .header('cache-control', this.options.cacheControl)
      .header('vary', 'Accept-Encoding')
      .header('etag', variant.etag)
      .header('last-modified', this.#lastModified.toUTCString());
    if (this.#notModified(request, variant.etag)) return reply.code(304).send();
    if (variant.body !== this.#variants.identity.body) reply.header('content-encoding', encoding);
    return reply.send(variant.body);
  }

  /** RFC 9110 §13.1: If-None-Match (weak comparison) decides when present, else If-Modified-Since. */
  #notModified(request: FastifyRequest, etag: string): boolean {
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch !== undefined) {
      return ifNoneMatch.split(',').some((candidate) => {
        const tag = candidate.trim().replace(/^W\//, '');
        return tag === '*' || tag === etag;
      });
    }
    const since = Date.parse(request.headers['if-modified-since'] ?? '');
    return Number.isFinite(since) && this.#lastModified.getTime() <= since;
  }
}

/** Brotli when the client takes it, else gzip, else the plain body (q=0 refuses a coding; `*` stands for the unnamed ones). */
function acceptedEncoding(header: string | undefined): Encoding {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((piece) => piece.trim());
    const q = params.find((param) => param.startsWith('q='));
    if (name !== '') weights.set(name, q === undefined ? 1 : Number(q.slice(2)));
  }
  const accepts = (coding: string) => (weights.get(coding) ?? weights.get('*') ?? 0) > 0;
  return accepts('br') ? 'br' : accepts('gzip') ? 'gzip' : 'identity';
}
