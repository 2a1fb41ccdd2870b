/**
 * The PostgreSQL part of `npm run bench` (issue 10): the bench's site copied into a fresh
 * PostgreSQL database with `db:copy`'s copier, then the busy post (hot and uncached) and the
 * queue on one instance, and the busy post through nginx in front of two instances.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import type pg from 'pg';
import type { Db } from '../db/client';
import { copyDatabase } from '../db/copy';
import { migrateDatabase } from '../db/migrate';
import { openPostgres, withPostgresClient } from '../db/postgres';

export interface PostgresBenchContext {
  root: string;
  dir: string;
  /** The SQLite site the rest of the bench measured. */
  source: Db;
  secret: string;
  postPath: string;
  /** The SQLite figures to compare with. */
  sqlite: { hotRps: number };
  load(url: string): Promise<{ rps: number; p99ms: number; errors: number }>;
  cpuMillis(pid: number): number;
  hasNginx: boolean;
  record(key: string, label: string, figure: { value: number; unit: string; target?: string; ok?: boolean; note?: string }, shown: string): void;
}

const SERVER = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withPostgresClient(SERVER, work);
}

/** A port nothing listens on now (other benches may run on this machine). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, child?: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child && child.exitCode !== null) throw new Error(`the server for ${url} exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer`);
}

export async function benchPostgres(ctx: PostgresBenchContext): Promise<void> {
  try {
    await onServer((client) => client.query('select 1'));
  } catch (error) {
    console.log(`  PostgreSQL does not answer at ${SERVER} (${(error as Error).message}): the PostgreSQL figures are skipped.`);
    return;
  }
  const name = `afterword_bench_${process.pid}`;
  await onServer((client) => client.query(`create database "${name}"`));
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const servers: ChildProcess[] = [];
  let nginx: ChildProcess | undefined;
  try {
    const target = openPostgres(databaseUrl);
    await migrateDatabase(target);
    const copied = await copyDatabase(ctx.source, target);
    await target.close();
    const comments = copied.find((t) => t.table === 'comments')!.rows;
    console.log(`\nThe same site on PostgreSQL (${comments} comments copied and verified):`);

    const start = (port: number) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
        cwd: ctx.root,
        env: {
          ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, SITE_URL: `http://127.0.0.1:${port}`, OUTBOX_DIR: join(ctx.dir, 'outbox-pg'),
          ASTRO_TELEMETRY_DISABLED: '1', TRUST_PROXY: '1', AFTERWORD_SECRET: ctx.secret,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      servers.push(child);
      return child;
    };
    const [portA, portB, proxyPort] = [await freePort(), await freePort(), await freePort()];
    const a = start(portA);
    const origin = `http://127.0.0.1:${portA}`;
    await waitFor(`${origin}/healthz`, a);
    const postUrl = origin + ctx.postPath;

    await ctx.load(postUrl);
    const hot = await ctx.load(postUrl);
    const ratio = hot.rps / ctx.sqlite.hotRps;
    ctx.record('pgHot', 'PostgreSQL: post with 200 comments, hot', { value: Math.round(hot.rps), unit: 'req/s', ok: hot.errors === 0, note: `${ratio.toFixed(2)}x SQLite (${Math.round(ctx.sqlite.hotRps)} req/s), p99 ${hot.p99ms.toFixed(1)} ms` },
      `${Math.round(hot.rps)} req/s = ${ratio.toFixed(2)}x SQLite, p99 ${hot.p99ms.toFixed(1)} ms${hot.errors ? `, ${hot.errors} errors` : ''}`);

    // Uncached: server CPU per page, as for SQLite (the database's own CPU is not counted: it is another process).
    for (let i = 0; i < 10; i++) await (await fetch(`${postUrl}?uncached=w${i}`)).text();
    const times: number[] = [];
    const cpuBefore = ctx.cpuMillis(a.pid!);
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      await (await fetch(`${postUrl}?uncached=${i}`)).text();
      times.push(performance.now() - t);
    }
    const cpu = (ctx.cpuMillis(a.pid!) - cpuBefore) / 100;
    times.sort((x, y) => x - y);
    ctx.record('pgUncached', 'PostgreSQL: post with 200 comments, uncached', { value: Number(cpu.toFixed(2)), unit: 'ms server CPU per page', note: `wall median ${times[50].toFixed(1)} ms` },
      `${cpu.toFixed(1)} ms server CPU per page (wall median ${times[50].toFixed(1)} ms)`);

    const login = await fetch(`${origin}/admin/login?_action=admin.login`, {
      method: 'POST', redirect: 'manual', headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': '192.0.2.201' },
      body: 'email=bench%40example.com&password=bench+password+123',
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    for (const [label, key, path] of [['queue, first page', 'pgQueueFirst', '/admin'], ['queue, text search', 'pgQueueSearch', '/admin?q=billing+maintenance']] as const) {
      const queueTimes: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        const response = await fetch(origin + path, { headers: { cookie } });
        await response.text();
        if (response.status !== 200) throw new Error(`${path} answered ${response.status} on PostgreSQL`);
        queueTimes.push(performance.now() - t);
      }
      queueTimes.sort((x, y) => x - y);
      ctx.record(key, `PostgreSQL: ${label} (10,000 pending)`, { value: Number(queueTimes[10].toFixed(1)), unit: 'ms (median)', target: '< 200 ms', ok: queueTimes[10] < 200 }, `median ${queueTimes[10].toFixed(1)} ms`);
    }

    if (!ctx.hasNginx) {
      console.log('  nginx not installed: the two-instance figure is skipped.');
      return;
    }
    await waitFor(`http://127.0.0.1:${portB}/healthz`, start(portB));
    const conf = `user root; worker_processes 1; daemon off; pid ${ctx.dir}/nginx-pg.pid; error_log ${ctx.dir}/nginx-pg-error.log;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 100000;
  upstream afterword { server 127.0.0.1:${portA}; server 127.0.0.1:${portB}; keepalive 64; }
  server { listen 127.0.0.1:${proxyPort};
    location / { proxy_pass http://afterword; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; } } }\n`;
    writeFileSync(join(ctx.dir, 'nginx-pg.conf'), conf);
    nginx = spawn('nginx', ['-p', ctx.dir, '-e', join(ctx.dir, 'nginx-pg-error.log'), '-c', join(ctx.dir, 'nginx-pg.conf')], { stdio: 'ignore' });
    await waitFor(`http://127.0.0.1:${proxyPort}/healthz`, nginx);
    const proxied = `http://127.0.0.1:${proxyPort}${ctx.postPath}`;
    await ctx.load(proxied);
    const two = await ctx.load(proxied);
    ctx.record('pgTwoInstances', 'PostgreSQL: two instances behind nginx, hot', { value: Math.round(two.rps), unit: 'req/s', ok: two.errors === 0, note: `${(two.rps / hot.rps).toFixed(2)}x one instance direct; nginx, both instances and the load generator share this machine's cores` },
      `${Math.round(two.rps)} req/s (${(two.rps / hot.rps).toFixed(2)}x one instance direct), p99 ${two.p99ms.toFixed(1)} ms${two.errors ? `, ${two.errors} errors` : ''}`);
  } finally {
    nginx?.kill('SIGTERM');
    await Promise.all(servers.map((child) => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(null);
      child.once('exit', resolve);
      child.kill('SIGTERM');
    })));
    await onServer((client) => client.query(`drop database if exists "${name}" with (force)`));
  }
}
