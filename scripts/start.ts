/**
 * `npm start`: validate configuration, start the application (create and migrate the database,
 * load the secret, send mail still queued), build if there is no build, then serve the built
 * Astro app from one Node process. Astro loads server modules lazily, so everything that must
 * fail fast happens here, before the port opens.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, describeDatabase, getConfig, isTrustedProxy, type Config } from '../src/services/config';
import { applySecurityHeaders } from '../src/web/http/headers';
import { checkRequestPath } from '../src/web/http/request-path';
import { databaseErrorReason } from '../db/client';
import { oneLine } from './cli';
import { staticAssetServer } from '../src/web/http/static-assets';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = fileURLToPath(new URL('../dist/server/entry.mjs', import.meta.url));

function fail(message: string): never {
  console.error(oneLine(message));
  process.exit(1);
}

let config: Config;
try {
  config = getConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}

// The database first: a bad DATABASE_PATH must stop the start at once, not after a build.
// The app's pages and actions start their own instance inside the built bundle on the first
// request (a separate module graph); this one retries queued mail from boot on. Both claim each
// message before sending it, so none goes out twice.
// Imported only now, so a bad variable stops the process before the mailer and the rest load.
const { startApp } = await import('../src/services/start');
const { migrateDatabase } = await import('../db/migrate');
const { backfillSpamFilter } = await import('../src/services/spam-filter');
try {
  const app = await startApp(config, { migrate: migrateDatabase });
  // A database the spam filter never trained on (new, or upgraded) learns its stored decisions once.
  const learned = await backfillSpamFilter(app.db);
  if (learned) console.log(`Spam filter: learned from ${learned} stored decision(s).`);
} catch (error) {
  fail(`Cannot use the database at ${describeDatabase(config)}: ${databaseErrorReason(error)}`);
}

if (!existsSync(entry)) {
  console.log('No build found: running astro build…');
  const build = spawnSync('npx', ['astro', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) fail('Build failed: see the output above.');
}

// Serve the adapter's handler (static files + SSR) from our own server so that shutdown is
// graceful and every response, static files included, carries the security headers.
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = (await import(pathToFileURL(entry).href)) as {
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;
};

// The app registers its page cache's fast path here once loaded (see src/web/http/page-cache.ts):
// it answers from the cache or passes the request on to `handle`.
const PAGE_CACHE_HOOK = Symbol.for('afterword.serveCachedPage');
type CacheHook = (req: http.IncomingMessage, res: http.ServerResponse, passOn: () => void) => void;

// Built CSS and JS from memory, compressed once (the adapter would send them uncompressed).
const serveAsset = staticAssetServer(fileURLToPath(new URL('../dist/client', import.meta.url)));

const FORWARDED_HEADERS = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port'];

const server = http.createServer((req, res) => {
  // A page cache hit first: it costs less than any check below would, its entries are keyed by
  // canonical paths (an exact match needs no path check) and it sends the security headers itself.
  const serveCached = (globalThis as Record<symbol, CacheHook | undefined>)[PAGE_CACHE_HOOK];
  if (serveCached) serveCached(req, res, () => handle(req, res));
  else handle(req, res);
});

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  // Astro takes the client address and protocol from X-Forwarded-* whenever present; unless a
  // proxy we trust sets them, they are whatever the client claims (and would dodge flood control).
  if (!isTrustedProxy(config.TRUST_PROXY, req.socket.remoteAddress)) for (const name of FORWARDED_HEADERS) delete req.headers[name];
  // A request refused before its body was read (413, 403): drain the rest, so the client gets
  // the answer instead of a connection reset while it is still uploading.
  res.on('finish', () => {
    if (!req.complete) req.resume();
  });
  applySecurityHeaders(res);
  // Before any route or cache: a path in non-canonical form (`//admin`, `/%61dmin`, `/x/../admin`)
  // is redirected to its canonical spelling or refused, so every later check sees one spelling.
  const verdict = checkRequestPath(req.url ?? '');
  if (verdict.kind !== 'canonical') {
    const safe = req.method === 'GET' || req.method === 'HEAD';
    if (verdict.kind === 'redirect' && safe) res.writeHead(301, { Location: verdict.location, 'Cache-Control': 'no-store' }).end();
    else res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('Bad request: this address is not valid.\n');
    return;
  }
  if (serveAsset(req, res)) return;
  handler(req, res);
}
server.keepAliveTimeout = 5_000;
server.on('error', (error) => fail(`Cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`));
server.listen(config.PORT, config.HOST, () => {
  console.log(`Afterword listening on http://${config.HOST}:${config.PORT} (database ${describeDatabase(config)})`);
});

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, then exit (forced after 10 s).
let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: finishing in-flight requests…`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
