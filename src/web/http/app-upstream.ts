import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { PRIVATE_HEADER_PREFIX } from './cacheable';

/**
 * The front server's way to the app worker (app-worker.mjs): plain HTTP over a Unix socket in
 * a folder only this process's user can open, with connections kept open between requests.
 * The worker sees the client through X-Forwarded-For, which the front sets (see `forward`).
 */

/** Connection-level headers, which describe one hop and are never passed on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function passable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = String(headers.connection ?? '').toLowerCase().split(',').map((name) => name.trim());
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.includes(name) || name.startsWith(PRIVATE_HEADER_PREFIX)) continue;
    kept[name] = value;
  }
  return kept;
}

export interface AppUpstream {
  /**
   * Sends `req` (its body streamed) to the app with `extraHeaders` added; resolves with the
   * app's answer once its head arrived. The client's own `x-afterword-*` headers never pass.
   */
  forward(req: IncomingMessage, extraHeaders: Record<string, string>): Promise<IncomingMessage>;
  /** Passes the app's answer on to the client as it streams in. */
  relay(answer: IncomingMessage, res: ServerResponse): void;
  close(): void;
}

/** A client that goes away while still sending its request cancels it in the app too. */
function cancelWith(req: IncomingMessage, upstream: http.ClientRequest): void {
  req.once('close', () => {
    if (!req.complete) upstream.destroy();
  });
}

export function appUpstream(socketPath: string): AppUpstream {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  return {
    forward(req, extraHeaders) {
      return new Promise((resolve, reject) => {
        const upstream = http.request({ socketPath, agent, method: req.method, path: req.url, headers: { ...passable(req.headers), ...extraHeaders } });
        let answered = false;
        upstream.on('response', (answer) => {
          answered = true;
          resolve(answer);
        });
        // The app may answer before reading the whole body (413) and close: that is no failure.
        upstream.on('error', (error) => (answered ? undefined : reject(error)));
        req.pipe(upstream);
        cancelWith(req, upstream);
      });
    },

    relay(answer, res) {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, passable(answer.headers));
      answer.pipe(res);
      // A client that goes away before the answer is complete stops it in the app too.
      res.once('close', () => {
        if (!res.writableFinished) answer.destroy();
      });
    },

    close() {
      agent.destroy();
    },
  };
}
