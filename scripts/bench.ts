/**
 * `npm run bench`: the performance promises of SPEC.md, measured on the built server.
 * - A post with 200 threaded comments, the index and a tag page must be served at least at
 *   half the throughput the same server reaches serving the same bytes as a static file.
 * - What a post page ships (CSS + JS) must stay under 5 KB gzipped.
 * - The moderation queue with 10,000 pending comments must stay fast (paginated, indexed).
 * - Comment rendering of hostile 10,000-character bodies (reported, no target).
 * Exits non-zero when a target is missed.
 */
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { insertComment } from '../db/queries/comments';
import { insertModerator } from '../db/queries/moderators';
import { renderCommentBody } from '../src/render/comment-body';
import { hashPassword } from '../src/server/auth/password';

const root = fileURLToPath(new URL('..', import.meta.url));
const PORT = 4610;
const origin = `http://localhost:${PORT}`;
const POST = 'sip-trunk-registration-outage';
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
let failed = false;

function report(label: string, value: string, ok: boolean | null) {
  if (ok === false) failed = true;
  console.log(`${ok === null ? ' ' : ok ? '✓' : '✗'} ${label.padEnd(52)} ${value}`);
}

if (!existsSync(join(root, 'dist/server/entry.mjs'))) {
  spawnSync('npx', ['astro', 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
}

// A database with one busy thread and a long moderation queue.
const dir = mkdtempSync(join(tmpdir(), 'afterword-bench-'));
const databasePath = join(dir, 'bench.db');
const db = openDatabase(databasePath);
migrateDatabase(db);
const start = new Date('2026-11-01T08:00:00Z').getTime();
const ids: number[] = [];
db.transaction((tx) => {
  for (let i = 0; i < 200; i++) {
    // Every third comment answers an earlier one, so the thread nests several levels deep.
    const parentId = i % 3 === 0 || ids.length === 0 ? null : ids[Math.floor((i * 7919) % ids.length)];
    const body = `Comment ${i}: did the **registrar** restart at 06:00? See https://status.example.com/incidents/${i} for details.\n\nSecond paragraph with \`code\`.`;
    const at = new Date(start + i * 60_000);
    ids.push(
      insertComment(tx, {
        postSlug: POST, parentId, status: 'approved', authorName: `Reader ${i}`, authorEmail: `reader${i}@example.com`,
        authorUrl: i % 4 === 0 ? `https://reader${i}.example.org/` : null, bodySource: body, bodyHtml: renderCommentBody(body), createdAt: at, updatedAt: at,
      }),
    );
  }
  for (let i = 0; i < 10_000; i++) {
    const body = `Pending comment ${i} about the billing maintenance window.`;
    const at = new Date(start + i * 1000);
    insertComment(tx, {
      postSlug: 'abrechnung-wartung-ausfall-eingehende-anrufe', status: 'pending', authorName: `Queue ${i}`, authorEmail: `queue${i}@example.com`,
      bodySource: body, bodyHtml: renderCommentBody(body), createdAt: at, updatedAt: at,
    });
  }
});
insertModerator(db, { email: 'bench@example.com', name: 'Bench', passwordHash: await hashPassword('bench password 123'), createdAt: new Date() });
db.$client.close();

const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
  cwd: root,
  env: { ...process.env, PORT: String(PORT), HOST: 'localhost', DATABASE_PATH: databasePath, SITE_URL: origin, OUTBOX_DIR: join(dir, 'outbox'), ASTRO_TELEMETRY_DISABLED: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const staticDir = join(root, 'dist/client/__bench');
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break;
    } catch {
      if (i > 300) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const throughput = async (url: string) => {
    await autocannon({ url, connections: 10, duration: 1 }); // warm-up
    const result = await autocannon({ url, connections: 10, duration: DURATION });
    return result.requests.average;
  };

  console.log(`Throughput (autocannon, 10 connections, ${DURATION}s each), dynamic page vs the same bytes as a static file:`);
  mkdirSync(staticDir, { recursive: true });
  for (const [name, path] of [['post with 200 comments', `/posts/${POST}`], ['index', '/'], ['tag page', '/tags/incident']] as const) {
    const html = await (await fetch(origin + path)).text();
    const file = `${name.replace(/\W+/g, '-')}.html`;
    writeFileSync(join(staticDir, file), html);
    const dynamic = await throughput(origin + path);
    const staticRate = await throughput(`${origin}/__bench/${file}`);
    const ratio = dynamic / staticRate;
    report(`${name} (${(html.length / 1024).toFixed(0)} KB)`, `${dynamic.toFixed(0)} req/s vs static ${staticRate.toFixed(0)} req/s = ${(ratio * 100).toFixed(0)}% (target ≥ 50%)`, ratio >= 0.5);
  }

  // A query string bypasses the page cache: this is the cost right after a comment or a moderation action.
  const renderTimes: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await (await fetch(`${origin}/posts/${POST}?uncached=${i}`)).text();
    renderTimes.push(performance.now() - t);
  }
  renderTimes.sort((a, b) => a - b);
  report('post with 200 comments, rendered (cache bypassed)', `median ${renderTimes[15].toFixed(1)} ms`, null);

  const postHtml = await (await fetch(`${origin}/posts/${POST}`)).text();
  const assets = [...postHtml.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="stylesheet"[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]);
  let shipped = 0;
  for (const asset of assets) shipped += gzipSync(Buffer.from(await (await fetch(new URL(asset, origin))).arrayBuffer())).length;
  report('CSS + JS shipped on a post page (gzipped)', `${(shipped / 1024).toFixed(1)} KB in ${assets.length} file(s) (target < 5 KB)`, shipped < 5 * 1024);

  // The queue: log in, then time the pages a moderator uses with 10,000 pending comments.
  const login = await fetch(`${origin}/admin/login?_action=admin.login`, {
    method: 'POST', redirect: 'manual', headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'email=bench%40example.com&password=bench+password+123',
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  for (const [name, path] of [['queue, first page', '/admin'], ['queue, page 150', '/admin?page=150'], ['queue, text search', '/admin?q=billing+maintenance'], ['queue, filtered by post', '/admin?post=abrechnung-wartung-ausfall-eingehende-anrufe']] as const) {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const response = await fetch(origin + path, { headers: { cookie } });
      await response.text();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const median = times[10];
    report(`${name} (10,000 pending)`, `median ${median.toFixed(1)} ms (target < 200 ms)`, median < 200);
  }
} finally {
  server.kill('SIGTERM');
  rmSync(staticDir, { recursive: true, force: true });
}

console.log('\nComment rendering of hostile 10,000-character bodies:');
for (const [name, input] of [['nested brackets', '['.repeat(10_000)], ['emphasis runs', '*a'.repeat(5_000)], ['deep quotes', '> '.repeat(5_000) + 'x'], ['many URLs', 'https://a.example/x '.repeat(500)]] as const) {
  const t = performance.now();
  for (let i = 0; i < 10; i++) renderCommentBody(input);
  report(name, `${((performance.now() - t) / 10).toFixed(1)} ms per body`, null);
}
rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
