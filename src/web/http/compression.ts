import { promisify } from 'node:util';
import { brotliCompress, constants, crc32, deflateRaw, gzip as gzipCallback, gzipSync } from 'node:zlib';
import { crc32Combine, crc32ShiftFor } from './crc32-combine';

// The asynchronous forms run in libuv's thread pool: compressing a large page never blocks the event loop.
const brotliCompressAsync = promisify(brotliCompress);
const deflateRawAsync = promisify(deflateRaw);
const gzipCompressAsync = promisify(gzipCallback);

/**
 * Compression done once per cached version, not once per response.
 *
 * A page with a comment form carries a token that must differ in every response. Gzip lets us
 * splice it in without recompressing: the part before the token is deflated and ended with a
 * sync flush (a byte boundary, the stream stays open), the token goes in as one stored
 * (uncompressed) deflate block, and the part after it is deflated on its own (a fresh
 * compressor: its back-references never reach before the token) and ends the stream. The
 * result is ONE ordinary gzip member, readable by every client; only the CRC-32 trailer is
 * computed per response, over the token, then joined with the tail's CRC (crc32-combine.ts).
 *
 * Brotli cannot be spliced that way: its literal coding depends on the bytes just before
 * (context modelling) and on the last distances used, so a block the compressor did not see
 * desynchronises the rest. Pages with a token are therefore sent as gzip even to clients that
 * prefer brotli; pages without one (lists, feeds, CSS, JS) get brotli when asked.
 */

export type Encoding = 'br' | 'gzip' | 'identity';

/** Brotli quality for content compressed at run time: near gzip -9 in size, a few ms per page. */
const BROTLI_QUALITY = 5;

/**
 * The encoding to send for an `Accept-Encoding` header: brotli when allowed and accepted,
 * then gzip, else none. A coding listed with `q=0` is refused.
 */
export function chooseEncoding(acceptEncoding: string | null | undefined, brotliAllowed: boolean): Encoding {
  if (!acceptEncoding) return 'identity';
  if (acceptEncoding.length > 200) return parseAcceptEncoding(acceptEncoding, brotliAllowed);
  // Browsers send a handful of spellings; parsing one per request would cost more than the lookup.
  const memo = brotliAllowed ? chosenWithBrotli : chosenWithoutBrotli;
  let chosen = memo.get(acceptEncoding);
  if (chosen === undefined) {
    if (memo.size >= 256) memo.clear();
    chosen = parseAcceptEncoding(acceptEncoding, brotliAllowed);
    memo.set(acceptEncoding, chosen);
  }
  return chosen;
}

const chosenWithBrotli = new Map<string, Encoding>();
const chosenWithoutBrotli = new Map<string, Encoding>();

function parseAcceptEncoding(acceptEncoding: string, brotliAllowed: boolean): Encoding {
  let br = false;
  let gzip = false;
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const refused = params.some((p) => /^\s*q\s*=\s*0(?:\.0*)?\s*$/.test(p));
    if (refused) continue;
    if (name === 'br') br = true;
    else if (name === 'gzip' || name === 'x-gzip') gzip = true;
    else if (name === '*') br = gzip = true;
  }
  if (br && brotliAllowed) return 'br';
  return gzip ? 'gzip' : 'identity';
}

/**
 * Compression for a page sent once (a commenter's personal page, `?replyto=`): the fastest
 * settings, which still shrink a busy thread's HTML about 14 times (brotli quality 1 took
 * 0.3 ms for the 250 KB post, less than passing it on uncompressed cost the front server).
 */
export function compressOnce(data: Buffer, encoding: 'br' | 'gzip'): Promise<Buffer> {
  if (encoding === 'gzip') return gzipCompressAsync(data, { level: 1 });
  return brotliCompressAsync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 1,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
}

export function brotliAsync(data: Buffer): Promise<Buffer> {
  return brotliCompressAsync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
}

export function gzip(data: Buffer): Buffer {
  return gzipSync(data, { level: 9 });
}

export function gzipAsync(data: Buffer): Promise<Buffer> {
  return gzipCompressAsync(data, { level: 9 });
}

/** A gzip stream with a hole for a per-response value of fixed position (see the module comment). */
export interface SplicedGzip {
  /** Gzip header and the deflated head, sync-flushed. */
  prefix: Buffer;
  /** The deflated tail, ending the deflate stream. */
  suffix: Buffer;
  /** CRC-32 and length of the head, to continue the trailer per response. */
  headCrc: number;
  headLength: number;
  /** CRC-32 and length of the tail, and the operator that joins its CRC to what precedes it. */
  tailCrc: number;
  tailLength: number;
  tailShift: number;
}

// Minimal gzip header: magic, deflate, no flags, no mtime, no extra flags, OS unknown.
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);

export async function prepareSplicedGzip(head: Buffer, tail: Buffer): Promise<SplicedGzip> {
  const [deflatedHead, suffix] = await Promise.all([deflateRawAsync(head, { level: 6, finishFlush: constants.Z_SYNC_FLUSH }), deflateRawAsync(tail, { level: 6 })]);
  return {
    prefix: Buffer.concat([GZIP_HEADER, deflatedHead]),
    suffix,
    headCrc: crc32(head),
    headLength: head.length,
    tailCrc: crc32(tail),
    tailLength: tail.length,
    tailShift: crc32ShiftFor(tail.length),
  };
}

/**
 * The two parts of one response: the shared prefix (never copied), then the value as a stored
 * block, the suffix and the trailer in one small buffer (per-response allocations of the whole
 * page cost more than the rest of a cache hit).
 */
export function spliceGzip(spliced: SplicedGzip, value: Buffer): [Buffer, Buffer] {
  if (value.length > 0xffff) throw new Error('spliced value too long for one stored block');
  const rest = Buffer.allocUnsafe(5 + value.length + spliced.suffix.length + 8);
  rest[0] = 0x00; // BFINAL=0, BTYPE=00 (stored); we are on a byte boundary after the sync flush
  rest.writeUInt16LE(value.length, 1);
  rest.writeUInt16LE(~value.length & 0xffff, 3);
  value.copy(rest, 5);
  spliced.suffix.copy(rest, 5 + value.length);
  const trailer = 5 + value.length + spliced.suffix.length;
  rest.writeUInt32LE(crc32Combine(crc32(value, spliced.headCrc), spliced.tailCrc, spliced.tailShift), trailer);
  rest.writeUInt32LE((spliced.headLength + value.length + spliced.tailLength) % 2 ** 32, trailer + 4);
  return [spliced.prefix, rest];
}
