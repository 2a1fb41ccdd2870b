/**
 * A 40,000-comment thread on one post, for `npm run bench` (issue 12, part 3). SPEC: with 40,000
 * comments on one post, any comment page renders in well under a second and the server's memory
 * stays bounded. Seeds a fresh SQLite database, starts the built server on it (its own port, after
 * the main bench's server has stopped) and times the first page, a middle page, the last page and
 * the `/comments/<id>` redirect of a comment deep in the thread: each on its first request (not in
 * the page cache; the first page also pays for loading the thread) and as the median of repeated
 * requests, both as served (page cache) and rendered again (a junk parameter bypasses the cache,
 * as in bench.ts). Then times a page after a newly published comment (the kept thread is stale
 * and loads again: the cost a busy thread pays after every approval), visits 20 more pages and
 * reads the server's resident memory before and after them.
 *
 * As a command: `node --import tsx scripts/bench-long-thread.ts` (needs `npx astro build` first).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { insertComment, type NewCommentRow } from '../db/queries/comments';
import { bumpPostStamps } from '../db/queries/page-stamps';
import { renderCommentBody } from '../src/render/comment-body';

/** A figure as bench.ts `record`s it (same shape as its `Figure`). */
export interface BenchFigure {
  key: string;
  label: string;
  figure: { value: number; unit: string; target?: string; ok?: boolean; note?: string };
  shown: string;
}

const root = fileURLToPath(new URL('..', import.meta.url));
export const LONG_THREAD_POST = 'how-we-test-failover';
export const LONG_THREAD_COMMENTS = 40_000;
/** The server's default (`COMMENTS_PER_PAGE`): pages hold this many top-level threads. */
const PER_PAGE = 50;
const BATCH = 500;
/** Replies nest at most this deep (0 = top level), as in a lively real thread. */
const MAX_SEED_DEPTH = 3;
/** SPEC: "well under a second". */
const PAGE_TARGET_MS = 1000;
/**
 * Picked from what was measured (2026-11-30, 2-core development machine under load, six runs):
 * 187–196 MB after start; about 100 MB more once the thread is loaded and kept; then each
 * request that loads the whole thread again (every `/comments/<id>`, the first page after a new
 * comment) leaves garbage the heap grows for, so the total varied from 355 to 625 MB between
 * runs, while the 20 further pages never added more than 2 MB. 768 MB leaves about 1.2x over the
 * worst run; the second check (what the 20 pages add) is the one that shows memory staying
 * bounded however many pages are read.
 */
const RSS_TARGET_MB = 768;
const RSS_GROWTH_TARGET_MB = 64;
const REPEATS = 5;

const BODIES = [
  (i: number) => `Did the **failover** at step ${i} keep the calls up? We saw a 3 s gap on the SBC.`,
  (i: number) => `Same here. Our runbook is at https://wiki.example.com/runbooks/failover-${i % 97}, the \`drain\` step is the slow one.`,
  (i: number) => `> the standby took over\n\nHow long did DNS take to follow? (test ${i})\n\n- TTL 60\n- health check every 5 s`,
  (i: number) => `Thanks, this is the clearest write-up of *split brain* I have read. Comment ${i}.`,
  (i: number) => `We run the same drill monthly. Tip: log \`SIGTERM\` arrival times, or you cannot tell drain from crash (${i}).`,
  (i: number) => `Question ${i}: do you fail over the database first or the proxies? Order matters with sticky sessions.`,
];

/** Seeds the thread: two thirds top-level threads, one third replies to a recent comment, at most `MAX_SEED_DEPTH` deep. Returns the id of a deep reply about three quarters in. */
async function seedThread(databasePath: string): Promise<{ deepId: number; threads: number; seedSeconds: number }> {
  const t = performance.now();
  const db = await openDatabase(databasePath);
  await migrateDatabase(db);
  const start = new Date('2025-01-01T00:00:00Z').getTime();
  const depth: number[] = [0]; // by id (ids are assigned here: a fresh database, 1…n)
  const parent: (number | null)[] = [null];
  let threads = 0;
  let deepId = 0;
  await db.transaction(async (tx) => {
    for (let from = 1; from <= LONG_THREAD_COMMENTS; from += BATCH) {
      const rows: NewCommentRow[] = [];
      for (let id = from; id < from + BATCH && id <= LONG_THREAD_COMMENTS; id++) {
        let parentId: number | null = null;
        if (id % 3 === 0) {
          // A reply to one of the last 20 comments, climbing to an ancestor when that one is already deep.
          parentId = Math.max(1, id - 1 - ((id * 7919) % 20));
          while (depth[parentId] >= MAX_SEED_DEPTH) parentId = parent[parentId]!;
        }
        depth[id] = parentId === null ? 0 : depth[parentId] + 1;
        parent[id] = parentId;
        if (parentId === null) threads++;
        if (!deepId && id >= LONG_THREAD_COMMENTS * 0.75 && depth[id] >= 2) deepId = id;
        const body = BODIES[id % BODIES.length](id);
        const at = new Date(start + id * 45_000);
        rows.push({
          id, postSlug: LONG_THREAD_POST, parentId, status: 'approved', authorName: `Reader ${id % 3000}`, authorEmail: `reader${id % 3000}@example.com`,
          authorUrl: id % 5 === 0 ? `https://reader${id % 3000}.example.org/` : null, bodySource: body, bodyHtml: renderCommentBody(body), createdAt: at, updatedAt: at,
        });
      }
      await tx.orm.insert(tx.tables.comments).values(rows);
    }
  });
  await db.close();
  return { deepId, threads, seedSeconds: (performance.now() - t) / 1000 };
}

interface Timing {
  status: number;
  ttfbMs: number;
  totalMs: number;
  bytes: number;
  location?: string;
}

/** One raw GET (no redirect following), timed to the first byte of the response and to its end. */
function timedGet(url: string): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    http
      .get(url, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
        const ttfbMs = performance.now() - t;
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode!, ttfbMs, totalMs: performance.now() - t, bytes, location: res.headers.location }));
      })
      .on('error', reject);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));

/** Server CPU (user + system) so far, in ms: robust against other load on the machine, unlike wall time. */
function cpuMillis(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, clock ticks of 10 ms
}

function rssMegabytes(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/**
 * Seeds the thread, runs the server on it and returns the figures. `port`: default BENCH_PORT + 2
 * (bench.ts uses BENCH_PORT and BENCH_PORT + 1).
 */
export async function benchLongThread(port = Number(process.env.BENCH_PORT ?? 4710) + 2): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'afterword-long-thread-'));
  const databasePath = join(dir, 'long-thread.db');
  const origin = `http://127.0.0.1:${port}`;
  const figures: BenchFigure[] = [];
  const { deepId, threads, seedSeconds } = await seedThread(databasePath);
  const lastPage = Math.ceil(threads / PER_PAGE);
  const middlePage = Math.ceil(lastPage / 2);
  const startedAt = performance.now();
  const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath, SITE_URL: origin, OUTBOX_DIR: join(dir, 'outbox'),
      ASTRO_TELEMETRY_DISABLED: '1', AFTERWORD_SECRET: 'bench-secret-'.padEnd(64, 'y'), COMMENTS_PER_PAGE: String(PER_PAGE),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => server.on('exit', resolve));
  try {
    // The first start learns the 40,000 approved comments into the spam filter before the port opens.
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${origin}/healthz`)).ok) break;
      } catch {
        if (i > 3000 || server.exitCode !== null) throw new Error('long-thread server did not start');
        await sleep(100);
      }
    }
    const startSeconds = (performance.now() - startedAt) / 1000;
    const pid = server.pid!;
    // Load the page code on another post, so the first timed request measures the thread, not module loading.
    await timedGet(`${origin}/posts/markdown-field-guide`);
    const rssAtStart = rssMegabytes(pid);

    const postPath = `/posts/${LONG_THREAD_POST}`;
    const pages = [
      ['first', 'first page', postPath],
      ['middle', `middle page (${middlePage})`, `${postPath}?cpage=${middlePage}`],
      ['last', `last page (${lastPage})`, `${postPath}?cpage=${lastPage}`],
      ['permalink', `/comments/<id>, a reply ¾ down`, `/comments/${deepId}`],
    ] as const;
    const rssAfter: Record<string, number> = {};
    for (const [key, name, path] of pages) {
      const expected = key === 'permalink' ? 302 : 200;
      const cpuBefore = cpuMillis(pid);
      const first = await timedGet(origin + path);
      const firstCpu = cpuMillis(pid) - cpuBefore;
      const served: Timing[] = [];
      const rendered: Timing[] = [];
      for (let i = 0; i < REPEATS; i++) {
        served.push(await timedGet(origin + path));
        rendered.push(await timedGet(`${origin}${path}${path.includes('?') ? '&' : '?'}uncached=${i}`));
      }
      rssAfter[key] = rssMegabytes(pid);
      const bad = [first, ...served, ...rendered].find((r) => r.status !== expected);
      if (bad) throw new Error(`${path} answered ${bad.status}${bad.location ? ` → ${bad.location}` : ''}`);
      // A redirect is never cached: every request locates the comment afresh.
      const worst = Math.max(first.totalMs, median(rendered.map((r) => r.totalMs)), median(served.map((r) => r.totalMs)));
      const note = `first request: first byte ${fmt(first.ttfbMs)} ms, server CPU ${firstCpu} ms, ${first.bytes} bytes; median of ${REPEATS}: ${fmt(median(served.map((r) => r.totalMs)))} ms as served, ${fmt(median(rendered.map((r) => r.totalMs)))} ms rendered again (cache bypassed)`;
      figures.push({
        key: `longThread:${key}`,
        label: `40,000 comments: ${name}`,
        figure: { value: Math.round(first.totalMs), unit: 'ms (first request)', target: `< ${PAGE_TARGET_MS} ms`, ok: worst < PAGE_TARGET_MS, note },
        shown: `${fmt(first.totalMs)} ms first (byte ${fmt(first.ttfbMs)} ms, CPU ${firstCpu} ms); median ${fmt(median(served.map((r) => r.totalMs)))} ms served, ${fmt(median(rendered.map((r) => r.totalMs)))} ms re-rendered`,
      });
    }

    // A newly published comment makes the kept thread stale: the next reader pays for loading it
    // again (written as another instance would: the comment and its post's change stamp).
    const writer = await openDatabase(databasePath);
    await writer.transaction(async (tx) => {
      const at = new Date();
      const body = 'A new comment, published while the thread is being read.';
      await insertComment(tx, { postSlug: LONG_THREAD_POST, status: 'approved', authorName: 'Late reader', authorEmail: 'late@example.com', bodySource: body, bodyHtml: renderCommentBody(body), createdAt: at, updatedAt: at });
      await bumpPostStamps(tx, [LONG_THREAD_POST]);
    });
    await writer.close();
    const cpuBeforeStale = cpuMillis(pid);
    const stale = await timedGet(`${origin}${postPath}?cpage=${middlePage}`);
    const staleCpu = cpuMillis(pid) - cpuBeforeStale;
    figures.push({
      key: 'longThread:afterNewComment',
      label: '40,000 comments: a page after a new comment',
      figure: { value: Math.round(stale.totalMs), unit: 'ms', target: `< ${PAGE_TARGET_MS} ms`, ok: stale.status === 200 && stale.totalMs < PAGE_TARGET_MS, note: `page ${middlePage}, the thread loaded again; server CPU ${staleCpu} ms` },
      shown: `${fmt(stale.totalMs)} ms (CPU ${staleCpu} ms)`,
    });
    const rssAfterVisits = rssMegabytes(pid);

    // Memory after 20 more distinct pages (each rendered once and kept by the page cache).
    for (let i = 0; i < 20; i++) {
      const page = 2 + Math.floor((i * (lastPage - 2)) / 20);
      const r = await timedGet(`${origin}${postPath}?cpage=${page}`);
      if (r.status !== 200) throw new Error(`page ${page} answered ${r.status}`);
    }
    const rss = rssMegabytes(pid);
    figures.push({
      key: 'longThread:rss',
      label: '40,000 comments: server RSS after 24 pages',
      figure: {
        value: Math.round(rss), unit: 'MB', target: `< ${RSS_TARGET_MB} MB, the 20 pages adding < ${RSS_GROWTH_TARGET_MB} MB`, ok: rss < RSS_TARGET_MB && rss - rssAfterVisits < RSS_GROWTH_TARGET_MB,
        note: `${rssAtStart.toFixed(0)} MB after start, ${rssAfter.first.toFixed(0)} MB after the first page, ${rssAfter.last.toFixed(0)} MB after the last, ${rssAfter.permalink.toFixed(0)} MB after the ${1 + 2 * REPEATS} redirects, ${rssAfterVisits.toFixed(0)} MB before the 20 pages; ${threads} threads on ${lastPage} pages; seeded in ${seedSeconds.toFixed(1)} s; first start (learning 40,000 decisions) ${startSeconds.toFixed(1)} s`,
      },
      shown: `${rss.toFixed(0)} MB (${rssAtStart.toFixed(0)} after start, ${rssAfter.last.toFixed(0)} after 3 pages, ${rssAfter.permalink.toFixed(0)} after the redirects, ${rssAfterVisits.toFixed(0)} before the 20 pages; ${threads} threads, ${lastPage} pages; server start ${startSeconds.toFixed(1)} s)`,
    });
    return figures;
  } finally {
    server.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of await benchLongThread()) console.log(`${f.figure.ok === undefined ? ' ' : f.figure.ok ? '✓' : '✗'} ${f.label.padEnd(50)} ${f.shown}${f.figure.target ? `   (target ${f.figure.target})` : ''}`);
}
