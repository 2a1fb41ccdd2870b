import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compressedPage } from './compressed-page.ts';

const html = `<!doctype html><title>Outage</title>${'<li>Ünïcode comment — about the registrar restart.</li>'.repeat(500)}`;
const page = (body = html, headers: Record<string, string> = {}) =>
  new Response(body, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'private, no-store', 'Set-Cookie': 'aw_own=1.x; Path=/', ...headers } });

describe('compressedPage', () => {
  test('sends brotli or gzip as the client asks, the same HTML inside, every other header kept', async () => {
    for (const [accept, encoding, decode] of [
      ['br, gzip', 'br', brotliDecompressSync],
      ['gzip, deflate', 'gzip', gunzipSync],
      ['br;q=0, gzip', 'gzip', gunzipSync],
    ] as const) {
      const response = await compressedPage(accept, page());
      const body = Buffer.from(await response.arrayBuffer());
      assert.equal(response.headers.get('content-encoding'), encoding, accept);
      assert.equal(decode(body).toString('utf8'), html);
      assert.equal(response.headers.get('content-length'), String(body.length));
      assert.ok(body.length < Buffer.byteLength(html) / 5, `${body.length} bytes`);
      assert.match(response.headers.get('vary') ?? '', /Accept-Encoding/);
      assert.equal(response.headers.get('cache-control'), 'private, no-store');
      assert.equal(response.headers.get('set-cookie'), 'aw_own=1.x; Path=/');
      assert.equal(response.status, 200);
    }
  });

  test('leaves the page as it is for a client that accepts neither, and for what is not HTML', async () => {
    for (const accept of [null, '', 'identity', 'deflate', 'br;q=0, gzip;q=0']) {
      const response = await compressedPage(accept, page());
      assert.equal(response.headers.get('content-encoding'), null, String(accept));
      assert.equal(await response.text(), html);
    }
    const feed = await compressedPage('br', page(html, { 'Content-Type': 'application/json' }));
    assert.equal(feed.headers.get('content-encoding'), null);
  });

  test('a small page is not worth compressing', async () => {
    const response = await compressedPage('br, gzip', page('<!doctype html><p>Not found</p>'));
    assert.equal(response.headers.get('content-encoding'), null);
    assert.equal(await response.text(), '<!doctype html><p>Not found</p>');
  });
});
