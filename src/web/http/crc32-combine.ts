/**
 * CRC-32 of a concatenation from the CRCs of its parts, as zlib's `crc32_combine_gen` and
 * `crc32_combine_op` compute it (zlib's crc32.c; Node does not expose them). A spliced gzip
 * response (compression.ts) needs the CRC of head + token + tail: with the tail's CRC and its
 * shift operator kept per cached page, each response only runs the CRC over its token, instead
 * of over the few kilobytes after it (a tenth of a cache hit's instructions).
 *
 * Arithmetic is on polynomials over GF(2) modulo the CRC-32 polynomial, in zlib's reflected bit
 * order: bit 31 is x^0.
 */

/** The CRC-32 polynomial, reflected. */
const POLY = 0xedb88320;
/** x^0 (1) in the reflected representation. */
const X0 = 0x80000000;

/** a(x) * b(x) modulo the polynomial. */
function multModP(a: number, b: number): number {
  let product = 0;
  for (let m = X0; m !== 0; m >>>= 1) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the polynomial, for k = 0..31 (the cycle repeats after that). */
const X2N = new Uint32Array(32);
X2N[0] = X0 >>> 1; // x^1
for (let k = 1; k < 32; k++) X2N[k] = multModP(X2N[k - 1], X2N[k - 1]);

/** x^(n * 2^k) modulo the polynomial. */
function x2nModP(n: number, k: number): number {
  let p = X0;
  for (; n > 0; n = Math.floor(n / 2), k++) if (n % 2 === 1) p = multModP(X2N[k & 31], p);
  return p;
}

/** The operator that shifts a CRC past `length` more bytes (zlib's `crc32_combine_gen`). */
export function crc32ShiftFor(length: number): number {
  return x2nModP(length, 3);
}

/**
 * CRC-32 of A followed by B, from `crcA`, `crcB` and `crc32ShiftFor(B.length)` (zlib's
 * `crc32_combine_op`).
 */
export function crc32Combine(crcA: number, crcB: number, shiftForB: number): number {
  return (multModP(shiftForB, crcA) ^ crcB) >>> 0;
}
