import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { createTestDb } from '../../../db/testing.ts';
import { bumpPostStamps } from '../../../db/queries/page-stamps.ts';
import type { DbConnection } from '../../services/context.ts';
import { checkFormToken } from '../../services/tokens.ts';
import { appUpstream } from './app-upstream.ts';
import { frontHandler } from './front.ts';
import { createPageCache } from './page-cache.ts';
import { tokensSignedOnRequest } from './form-token-pool.ts';

/**
 * The front server against a stand-in for the app worker (an HTTP server on a Unix socket that
 * records what reaches it): what a client may and may not tell the app, and which answers the
 * page cache keeps.
 */

const SECRET = 's'.repeat(64);
const TOKEN = '1796057831177.AAAAAAAAAAAAAAAA.BBBBBBBB';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

describe('front server', () => {
  const seen: Seen[] = [];
  let db: DbConnection;
  let dir: string;
  let app: http.Server;
  let front: http.Server;
  let origin: string;

  before(async () => {
    db = await createTestDb();
    dir = mkdtempSync(join(tmpdir(), 'afterword-front-test-'));
    const socketPath = join(dir, 'app.sock');
    app = http.createServer((req, res) => {
      seen.push({ path: req.url ?? '', headers: req.headers });
      const render = req.headers['x-afterword-page-cache'] === 'render';
      if (req.url === '/posts/outage') {
        // A post page with a comment form, offered to the cache.
        res.writeHead(200, { 'Content-Type': 'text/html', ...(render ? { 'x-afterword-page-cache': 'store', 'x-afterword-form-token': `outage ${TOKEN}` } : {}) });
        res.end(`<!doctype html><p>Outage</p><input name="token" value="${TOKEN}">`);
      } else if (req.url === '/tags/voip') {
        // The app does not confirm this one: it must not be kept.
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>Tag</p>');
      } else {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      }
    });
    await new Promise<void>((resolve) => app.listen(socketPath, resolve));
    front = http.createServer(
      frontHandler({ cache: createPageCache(db, tokensSignedOnRequest(SECRET)), app: appUpstream(socketPath), serveAsset: () => false, trustProxy: false }),
    );
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  });

  after(async () => {
    front.closeAllConnections();
    app.closeAllConnections();
    await new Promise((resolve) => front.close(resolve));
    await new Promise((resolve) => app.close(resolve));
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      http
        // The path as given: a URL object would resolve `..` before sending.
        .get({ host: '127.0.0.1', port: new URL(origin).port, path, headers, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
  }

  const requestsFor = (path: string) => seen.filter((s) => s.path === path);

  test('the app learns the client address from the connection, never from what an untrusted client claims, and never gets the private headers from a client', async () => {
    await get('/unknown?page=2', { 'X-Forwarded-For': '203.0.113.9', 'X-Forwarded-Proto': 'https', 'X-Afterword-Page-Cache': 'render', 'X-Afterword-Form-Token': 'x y' });
    const [request] = requestsFor('/unknown?page=2');
    assert.equal(request.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(request.headers['x-forwarded-proto'], undefined);
    assert.equal(request.headers['x-afterword-page-cache'], undefined);
    assert.equal(request.headers['x-afterword-form-token'], undefined);
  });

  test('a page the app offers is rendered once and then served from the cache, with a fresh working form token each time and no private header', async () => {
    const first = await get('/posts/outage', { 'Accept-Encoding': 'gzip' });
    const second = await get('/posts/outage', { 'Accept-Encoding': 'gzip' });
    assert.equal(requestsFor('/posts/outage').length, 1);
    for (const answer of [first, second]) {
      assert.equal(answer.status, 200);
      assert.equal(answer.headers['content-encoding'], 'gzip');
      assert.equal(answer.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(answer.headers['x-afterword-page-cache'], undefined);
      assert.equal(answer.headers['x-afterword-form-token'], undefined);
    }
    const tokens = [first, second].map((answer) => /value="([^"]+)"/.exec(gunzipSync(answer.body).toString())![1]);
    assert.notEqual(tokens[0], tokens[1]);
    for (const token of tokens) assert.equal(checkFormToken(SECRET, 'outage', token, new Date()).state, 'valid');
    // A change readers can see: the next read has the page rendered again.
    await bumpPostStamps(db, ['outage']);
    await get('/posts/outage');
    assert.equal(requestsFor('/posts/outage').length, 2);
  });

  test('a page the app does not confirm, a personal request and an odd address are never served from the cache', async () => {
    await get('/tags/voip');
    await get('/tags/voip');
    assert.equal(requestsFor('/tags/voip').length, 2);
    await get('/posts/outage');
    const before = requestsFor('/posts/outage').length;
    await get('/posts/outage', { Cookie: 'aw_own=abc' });
    assert.equal(requestsFor('/posts/outage').length, before + 1);
    assert.equal(requestsFor('/posts/outage').at(-1)!.headers['x-afterword-page-cache'], undefined);
    const odd = await get('/posts/../posts/outage');
    assert.equal(odd.status, 301);
    assert.equal(requestsFor('/posts/outage').length, before + 1);
  });
});
