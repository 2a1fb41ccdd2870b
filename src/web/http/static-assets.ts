import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { chooseEncoding, gzip } from './compression';

/**
 * The built CSS and JS (`/_astro/<name>.<hash>.css|js`), served from memory, compressed once
 * (brotli at its best quality: it happens once per file per process) and cacheable for ever:
 * the file name changes with its content.
 */

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

interface Asset {
  type: string;
  etag: string;
  plain: Buffer;
  gzip: Buffer;
  br: Buffer;
}

/** A handler for the front server; false when the request is not for a built asset. */
export function staticAssetServer(clientDir: string): (req: IncomingMessage, res: ServerResponse) => boolean {
  const assets = new Map<string, Asset | null>();

  function load(name: string): Asset | null {
    if (assets.has(name)) return assets.get(name)!;
    let asset: Asset | null = null;
    try {
      const plain = readFileSync(join(clientDir, '_astro', name));
      asset = {
        type: TYPES[name.slice(name.lastIndexOf('.') + 1)],
        etag: `"${createHash('sha1').update(plain).digest('base64url').slice(0, 20)}"`,
        plain,
        gzip: gzip(plain),
        br: brotliCompressSync(plain, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      };
    } catch {
      asset = null; // not built: the adapter answers 404
    }
    // Only names that exist in the build are remembered, so the map cannot be grown by guessing.
    if (asset) assets.set(name, asset);
    return asset;
  }

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    // The front server has already refused non-canonical paths; this accepts plain names only.
    const match = /^\/_astro\/([\w.-]+\.(?:css|js|mjs|svg))$/.exec(req.url ?? '');
    if (!match) return false;
    const asset = load(match[1]);
    if (!asset) return false;
    const headers: Record<string, string> = {
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: asset.etag,
      Vary: 'Accept-Encoding',
    };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers).end();
      return true;
    }
    const encoding = chooseEncoding(req.headers['accept-encoding'], true);
    const body = encoding === 'br' ? asset.br : encoding === 'gzip' ? asset.gzip : asset.plain;
    headers['Content-Type'] = asset.type;
    headers['Content-Length'] = String(body.length);
    if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
