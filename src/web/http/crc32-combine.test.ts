import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc32Combine, crc32ShiftFor } from './crc32-combine.ts';

test('the CRC of two parts combined equals the CRC of their concatenation, whatever their lengths', () => {
  const lengths = [0, 1, 2, 3, 7, 8, 63, 64, 65, 255, 1000, 2831, 4096, 65_537, 1_000_003];
  for (const a of [0, 1, 74, 5000]) {
    for (const b of lengths) {
      const first = randomBytes(a);
      const second = randomBytes(b);
      assert.equal(crc32Combine(crc32(first), crc32(second), crc32ShiftFor(b)), crc32(Buffer.concat([first, second])), `lengths ${a} + ${b}`);
    }
  }
});

test('a page cut around a token: head and token run through, the tail joins by its CRC', () => {
  const head = Buffer.from('<form><input name="token" value="');
  const tail = Buffer.from('"><button>Post comment</button></form>'.repeat(80));
  const shift = crc32ShiftFor(tail.length);
  const tailCrc = crc32(tail);
  for (const token of ['1796057831177.j2ozkeicpGtTzxDG.RvbEbm4427C49DfKBQBebQ8fDmhG8Z3rDGIaMEstyVE', 'x']) {
    const combined = crc32Combine(crc32(Buffer.from(token), crc32(head)), tailCrc, shift);
    assert.equal(combined, crc32(Buffer.concat([head, Buffer.from(token), tail])));
  }
});
