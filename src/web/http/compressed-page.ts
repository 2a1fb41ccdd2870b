import { chooseEncoding, compressOnce } from './compression';

/** Below this a page is sent as it is: compressing it would save less than it costs. */
const MIN_BYTES = 1024;

/**
 * A rendered HTML page compressed for the client that asked for it (brotli, else gzip), with
 * `Content-Encoding`, `Vary` and `Content-Length` to match; the response itself when the
 * client accepts neither or there is nothing worth compressing. Which pages may be compressed
 * is the caller's decision (see `compressPages` in middleware.ts).
 */
export async function compressedPage(acceptEncoding: string | null, response: Response): Promise<Response> {
  const encoding = chooseEncoding(acceptEncoding, true);
  if (encoding === 'identity' || response.body === null || response.headers.has('content-encoding')) return response;
  if (!/^text\/html\b/.test(response.headers.get('content-type') ?? '')) return response;
  const body = Buffer.from(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.append('Vary', 'Accept-Encoding');
  if (body.length < MIN_BYTES) {
    headers.set('Content-Length', String(body.length));
    return new Response(new Uint8Array(body), { status: response.status, statusText: response.statusText, headers });
  }
  const compressed = await compressOnce(body, encoding);
  headers.set('Content-Encoding', encoding);
  headers.set('Content-Length', String(compressed.length));
  return new Response(new Uint8Array(compressed), { status: response.status, statusText: response.statusText, headers });
}
