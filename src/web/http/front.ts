import type { IncomingMessage, ServerResponse } from 'node:http';
import { isTrustedProxy, type TrustedProxies } from '../../services/config';
import type { AppUpstream } from './app-upstream';
import { FORM_TOKEN_HEADER, isAnonymousRead, PAGE_CACHE_HEADER } from './cacheable';
import { applySecurityHeaders } from './headers';
import type { PageCache, RenderedPage } from './page-cache';
import { checkRequestPath } from './request-path';

/**
 * The front server's request handler, on the main thread. It answers what needs no rendering
 * (cached pages, built assets, refusals of odd addresses) and passes everything else to the app
 * worker, which runs Astro on a thread of its own: a page being rendered, a comment being
 * stored or a commit waiting for the disk never holds up a reader of a cached page.
 */
export interface FrontOptions {
  cache: PageCache;
  app: AppUpstream;
  /** Answers a request for a built asset (true when it did). */
  serveAsset: (req: IncomingMessage, res: ServerResponse) => boolean;
  trustProxy: TrustedProxies;
}

const FORWARDED_HEADERS = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port'];

export function frontHandler({ cache, app, serveAsset, trustProxy }: FrontOptions): (req: IncomingMessage, res: ServerResponse) => void {
  /**
   * What the app learns about the client: X-Forwarded-* pass only from a proxy we trust (else
   * they are whatever the client claims, and would dodge flood control); the client's address
   * is always given, as the worker only sees the front's socket.
   */
  function clientHeaders(req: IncomingMessage): Record<string, string> {
    const peer = req.socket.remoteAddress ?? '';
    if (!isTrustedProxy(trustProxy, peer)) for (const name of FORWARDED_HEADERS) delete req.headers[name];
    return req.headers['x-forwarded-for'] || !peer ? {} : { 'x-forwarded-for': peer };
  }

  async function pass(req: IncomingMessage, res: ServerResponse, extra: Record<string, string>): Promise<void> {
    app.relay(await app.forward(req, extra), res);
  }

  /** A cacheable read: from the cache, or rendered once by the app for everyone asking meanwhile. */
  async function serveCacheable(req: IncomingMessage, res: ServerResponse, path: string, extra: Record<string, string>): Promise<void> {
    for (;;) {
      const found = await cache.lookup(path);
      if (found.kind === 'hit') return cache.write(found.entry, req, res);
      if (found.kind === 'wait') {
        if (await found.rendered) continue;
        // Nothing was stored (a 404, an error): this one is rendered on its own.
        return pass(req, res, extra);
      }
      try {
        const answer = await app.forward(req, { ...extra, [PAGE_CACHE_HEADER]: 'render' });
        const page = answer.headers[PAGE_CACHE_HEADER] === 'store' && answer.statusCode === 200 && !answer.headers['set-cookie'] ? await renderedPage(answer) : null;
        if (!page) return app.relay(answer, res);
        const entry = await cache.store(path, found.stamp, page);
        found.done(true);
        return cache.write(entry, req, res);
      } finally {
        found.done(false);
      }
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const extra = clientHeaders(req);
    // A request refused before its body was read (413, 403): drain the rest, so the client gets
    // the answer instead of a connection reset while it is still uploading.
    res.on('finish', () => {
      if (!req.complete) req.resume();
    });
    applySecurityHeaders(res);
    // Before any route or cache: a path in non-canonical form (`//admin`, `/%61dmin`, `/x/../admin`)
    // is redirected to its canonical spelling or refused, so every later check sees one spelling.
    const target = req.url ?? '';
    const verdict = checkRequestPath(target);
    if (verdict.kind !== 'canonical') {
      const safe = req.method === 'GET' || req.method === 'HEAD';
      if (verdict.kind === 'redirect' && safe) res.writeHead(301, { Location: verdict.location, 'Cache-Control': 'no-store' }).end();
      else res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('Bad request: this address is not valid.\n');
      return;
    }
    if (serveAsset(req, res)) return;
    const served = isAnonymousRead(req.method, target, req.headers.cookie) ? serveCacheable(req, res, target, extra) : pass(req, res, extra);
    void served.catch((error: unknown) => unavailable(res, error));
  }

  return (req, res) => {
    // A cache hit first: it costs less than any check in `handle` would.
    const served = cache.serveIfUsable(req, res);
    if (served === true) return;
    if (served === false) return handle(req, res);
    void served.then((hit) => hit || handle(req, res), () => handle(req, res));
  };
}

/** The app's answer to a render for the cache, read whole; null when it is not a page to keep. */
async function renderedPage(answer: IncomingMessage): Promise<RenderedPage | null> {
  const contentType = String(answer.headers['content-type'] ?? '');
  if (!/html|xml/.test(contentType)) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of answer) chunks.push(chunk as Buffer);
  const [slug, value] = String(answer.headers[FORM_TOKEN_HEADER] ?? '').split(' ');
  return { html: Buffer.concat(chunks).toString('utf8'), contentType, token: slug && value ? { slug, value } : null };
}

/** The app worker did not answer (it failed, or is restarting): a short plain answer, never a hang. */
function unavailable(res: ServerResponse, error: unknown): void {
  console.error(`Could not reach the app worker: ${error instanceof Error ? error.message : String(error)}`);
  if (res.headersSent) res.destroy();
  else res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('The site could not answer this request. Try again in a moment.\n');
}
