import { expect, test } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { withPostgresClient } from '../db/postgres';
import { newModerator, openQueue, queueRow, rowButton, login, type ModeratorAccount } from './fixtures/admin';
import { commentElement, commenter, postComment, unique } from './fixtures/comments';
import { startServer, type RunningServer } from './fixtures/server';

/**
 * Several instances on one PostgreSQL database (issue 10): two servers started as `npm start`
 * starts them, sharing one fresh database and one outbox, and a small round-robin proxy in front
 * of them as a deployment would have. What one instance does, the other sees at once.
 */

const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const POST = 'how-we-test-failover';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let databaseUrl: string;
let outboxDir: string;
let a: RunningServer;
let b: RunningServer;
let proxy: http.Server;
let proxyOrigin: string;
let moderator: ModeratorAccount;

function onServer<T>(work: (client: pg.Client) => Promise<T>, url = SERVER): Promise<T> {
  return withPostgresClient(url, work);
}

/** Round-robin over the instances that answer, as nginx's upstream does. */
function roundRobin(origins: () => string[]): http.Server {
  let next = 0;
  return http.createServer((req, res) => {
    const targets = origins();
    const target = new URL(req.url ?? '/', targets[next++ % targets.length]);
    // The Host header passes through (nginx: proxy_set_header Host $host), so the origin check sees the address the browser used.
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
}

test.beforeAll(async () => {
  const name = `afterword_e2e_${process.pid}_${Date.now()}`;
  await onServer((client) => client.query(`create database "${name}"`));
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  outboxDir = mkdtempSync(join(tmpdir(), 'afterword-pg-outbox-'));
  // Both at once: the migration runs once (the other instance waits for it).
  [a, b] = await Promise.all([startServer({ DATABASE_URL: databaseUrl, OUTBOX_DIR: outboxDir }), startServer({ DATABASE_URL: databaseUrl, OUTBOX_DIR: outboxDir })]);
  moderator = await newModerator(databaseUrl, 'Ops');
  proxy = roundRobin(() => [a, b].filter((s) => s.process.exitCode === null && s.process.signalCode === null).map((s) => s.origin));
  await new Promise<void>((resolve) => proxy.listen(0, 'localhost', resolve));
  proxyOrigin = `http://localhost:${(proxy.address() as { port: number }).port}`;
});

test.afterAll(async () => {
  proxy?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  if (databaseUrl) await onServer((client) => client.query(`drop database if exists "${new URL(databaseUrl).pathname.slice(1)}" with (force)`));
});

test('a comment posted on A and approved on B is on A’s page at once; the login made on A is valid on B', async ({ browser }) => {
  const reader = await browser.newContext({ javaScriptEnabled: false });
  const page = await reader.newPage();
  await page.goto(`${a.origin}/posts/${POST}`);
  const text = unique('Posted on instance A');
  const id = await postComment(page, { ...commenter('Ada'), comment: text });

  // An anonymous reader of A has the page cached before the approval.
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await strangerPage.goto(`${a.origin}/posts/${POST}`);
  await expect(strangerPage.getByText(text)).toHaveCount(0);

  // Cookies are per host, not per port: the session cookie made by A is sent to B.
  const team = await browser.newContext();
  const admin = await team.newPage();
  await login(admin, moderator.email, moderator.password, a.origin);
  await openQueue(admin, 'pending', undefined, b.origin);
  await expect(admin).toHaveURL(new RegExp(`^${b.origin}/admin`));
  await rowButton(queueRow(admin, text), 'approve').click();
  await expect(queueRow(admin, text)).toHaveCount(0);

  await strangerPage.goto(`${a.origin}/posts/${POST}`);
  await expect(commentElement(strangerPage, id)).toContainText(text);
  // And through the proxy, whichever instance answers.
  for (let i = 0; i < 2; i++) expect(await (await fetch(`${proxyOrigin}/posts/${POST}`)).text()).toContain(text);
  await Promise.all([reader.close(), stranger.close(), team.close()]);
});

test('the moderators’ mail about a pending comment is sent once, though both instances deliver mail', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${proxyOrigin}/posts/${POST}`);
  const text = unique('Mail me once');
  await postComment(page, { ...commenter('Bea'), comment: text });
  // Each instance delivers after every form post and at start; wait until nothing is left to send.
  await expect
    .poll(() => onServer(async (client) => Number((await client.query('select count(*) as n from outgoing_mail where sent_at is null')).rows[0].n), databaseUrl), { timeout: 30_000 })
    .toBe(0);
  // Give both instances a further form post each: they find nothing left to send.
  for (const origin of [a.origin, b.origin]) await fetch(`${origin}/posts/${POST}?_action=comments.submit`, { method: 'POST', headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'post=x' });
  const mails = readdirSync(outboxDir).filter((file) => readFileSync(join(outboxDir, file), 'utf8').includes(text));
  expect(mails).toHaveLength(1);
  await context.close();
});

test('kill -9 of one instance while readers post: every acknowledged comment is stored (the client retries on the other)', async () => {
  /** One no-JS submission as a browser sends it: the form's hidden fields from a GET, then the POST. */
  const submit = async (origin: string, n: number): Promise<number> => {
    const html = await (await fetch(`${origin}/posts/${POST}`)).text();
    const token = /name="token" value="([^"]+)"/.exec(html)![1];
    const body = new URLSearchParams({ post: POST, token, name: `Reader ${n}`, email: `reader${n}@example.com`, website: '', comment: `Crash test comment ${n}`, homepage: '' });
    const response = await fetch(`${origin}/posts/${POST}?_action=comments.submit`, { method: 'POST', redirect: 'manual', headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    return response.status;
  };
  const acknowledged = new Set<number>();
  let killed = false;
  const writer = async (first: number) => {
    for (let n = first; n < first + 10; n++) {
      const order = n % 2 === 0 ? [a.origin, b.origin] : [b.origin, a.origin];
      for (const origin of order) {
        try {
          const status = await submit(origin, n);
          // 303: stored; a retry of a comment whose first answer was lost is refused as a duplicate (409), which also proves it is stored.
          if (status === 303 || status === 409) acknowledged.add(n);
          break;
        } catch {
          // The instance died mid-request: the same comment goes to the other one.
        }
      }
      if (n === first + 3 && !killed) {
        killed = true;
        await a.stop('SIGKILL');
      }
    }
  };
  await Promise.all([writer(1000), writer(2000), writer(3000), writer(4000)]);
  expect(killed).toBe(true);
  const stored = await onServer(async (client) => (await client.query("select body_source from comments where body_source like 'Crash test comment %'")).rows.map((r) => Number(String(r.body_source).split(' ').at(-1))), databaseUrl);
  for (const n of acknowledged) expect(stored, `comment ${n} was acknowledged`).toContain(n);
  expect(new Set(stored).size).toBe(stored.length);
  expect(acknowledged.size).toBeGreaterThan(30);
});
