/**
 * `npm start`: validate configuration, start the application (create and migrate the database,
 * load the secret, send mail still queued), build if there is no build, then serve the built
 * Astro app from one Node process: a front server on this thread, the app on a worker thread.
 * Astro loads server modules lazily, so everything that must fail fast happens here, before
 * the port opens.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { ConfigError, describeDatabase, getConfig, type Config } from '../src/services/config';
import type { App } from '../src/services/start';
import { databaseErrorReason } from '../db/client';
import { oneLine } from './cli';
import { appUpstream } from '../src/web/http/app-upstream';
import { startAppWorker } from '../src/web/http/app-worker';
import { frontHandler } from '../src/web/http/front';
import { createPageCache } from '../src/web/http/page-cache';
import { formTokenPool } from '../src/web/http/form-token-pool';
import { startFormTokenSigner } from '../src/web/http/form-token-signer';
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
// The app worker's pages and actions start their own instance on its first request (another
// thread, another connection); this one reads the page cache's change stamps and retries queued
// mail from boot on. Both claim each message before sending it, so none goes out twice.
// Imported only now, so a bad variable stops the process before the mailer and the rest load.
const { startApp } = await import('../src/services/start');
const { migrateDatabase } = await import('../db/migrate');
const { backfillSpamFilter } = await import('../src/services/spam-filter');
let app: App;
try {
  app = await startApp(config, { migrate: migrateDatabase });
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

// Two threads: this one is the front server (the page cache, built assets, odd addresses; see
// src/web/http/front.ts) and passes everything else to the app worker, which runs the built
// Astro app, so rendering and writes never hold up a reader of a cached page.
const worker = await startAppWorker(new URL('./app-worker.mjs', import.meta.url), entry, (reason) => fail(`Stopped: ${reason}.`)).catch((error: Error) =>
  fail(`Cannot start the app: ${error.message}`),
);
const upstream = appUpstream(worker.socketPath);
// Form tokens for busy pages are signed ahead on a thread of their own (form-token-pool.ts).
const tokenSigner = startFormTokenSigner(app.secret);
const server = http.createServer(
  frontHandler({
    cache: createPageCache(app.db, formTokenPool(app.secret, tokenSigner.signBatch)),
    app: upstream,
    // Built CSS and JS from memory, compressed once (the adapter would send them uncompressed).
    serveAsset: staticAssetServer(fileURLToPath(new URL('../dist/client', import.meta.url))),
    trustProxy: config.TRUST_PROXY,
  }),
);
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
  server.close(() => {
    upstream.close();
    void worker.stop().finally(() => process.exit(0));
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
