import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { chooseEncoding, prepareSplicedGzip, spliceGzip } from './compression.ts';

describe('compression', () => {
  test('a spliced gzip decompresses to head + value + tail, with a different value each time', async () => {
    const head = Buffer.from('<!doctype html><p>' + 'Comment about the registrar restart. '.repeat(400) + '<input name="token" value="');
    const tail = Buffer.from('" /><button>Send</button></form></html>');
    const spliced = await prepareSplicedGzip(head, tail);
    for (const value of ['1796057831177.j2ozkeicpGtTzxDG.RvbEbm4427C49DfKBQBebQ8fDmhG8Z3rDGIaMEstyVE', 'x', '']) {
      const body = Buffer.concat(spliceGzip(spliced, Buffer.from(value)));
      assert.equal(gunzipSync(body).toString(), `${head}${value}${tail}`);
    }
  });

  test('the spliced stream is one gzip member the system gzip tool accepts', async () => {
    const spliced = await prepareSplicedGzip(Buffer.from('before '), Buffer.from(' after'));
    const body = Buffer.concat(spliceGzip(spliced, Buffer.from('TOKEN')));
    assert.equal(execFileSync('gzip', ['-dc'], { input: body }).toString(), 'before TOKEN after');
  });

  test('the encoding follows Accept-Encoding, brotli only where allowed, q=0 refuses', () => {
    assert.equal(chooseEncoding('br, gzip', true), 'br');
    assert.equal(chooseEncoding('br, gzip', false), 'gzip');
    assert.equal(chooseEncoding('gzip, deflate', true), 'gzip');
    assert.equal(chooseEncoding('br;q=0, gzip;q=0.5', true), 'gzip');
    assert.equal(chooseEncoding('br', false), 'identity');
    assert.equal(chooseEncoding('*', true), 'br');
    assert.equal(chooseEncoding(undefined, true), 'identity');
  });
});
