import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { checkFormToken, signFormTokens } from '../../services/tokens.ts';
import { formTokenPool, LEAD_MS, type BatchSigner } from './form-token-pool.ts';

const SECRET = 'pool-test-secret-'.padEnd(64, 'x');
const T0 = new Date('2026-12-01T08:00:00Z').getTime();

/** A signer like the thread's, counting the batches and tokens it was asked for. */
function countingSigner(): BatchSigner & { batches: number; tokens: number } {
  const signer = Object.assign(
    async (slug: string, issued: number, count: number) => {
      signer.batches++;
      signer.tokens += count;
      return signFormTokens(SECRET, slug, new Date(issued), count);
    },
    { batches: 0, tokens: 0 },
  );
  return signer;
}

/** When a token says its form was served, after checking it is authentic for `slug`. */
function issuedAt(token: Buffer, slug: string, checkedAt: number): number {
  const check = checkFormToken(SECRET, slug, token.toString('latin1'), new Date(checkedAt));
  assert.equal(check.state, 'valid', `token ${token.toString('latin1')}`);
  return Number(token.toString('latin1').split('.')[0]);
}

test('a quiet page gets tokens signed when served, and no batch is signed for it', async () => {
  const signer = countingSigner();
  const pool = formTokenPool(SECRET, signer);
  for (let i = 0; i < 5; i++) {
    const now = T0 + i * 2 * LEAD_MS;
    assert.equal(issuedAt(pool.take('quiet', now), 'quiet', now + 60_000), now);
    await nextTurn();
  }
  assert.equal(signer.batches, 0);
});

test('a busy page gets tokens from batches: each once, for its post, never stamped before it was served', async () => {
  const signer = countingSigner();
  const pool = formTokenPool(SECRET, signer);
  const nonces = new Set<string>();
  let fromBatches = 0;
  // 4,000 requests a second for three seconds, the signer answering between requests.
  for (let i = 0; i < 12_000; i++) {
    const now = T0 + Math.floor(i / 4);
    const token = pool.take('busy', now);
    const issued = issuedAt(token, 'busy', now + 60_000);
    assert.ok(issued >= now && issued <= now + LEAD_MS, `stamped ${issued - now} ms from when it was served`);
    if (issued !== now) fromBatches++;
    nonces.add(token.toString('latin1').split('.')[1]);
    if (i % 20 === 0) await nextTurn();
  }
  assert.equal(nonces.size, 12_000, 'no token is handed out twice');
  assert.ok(fromBatches > 11_000, `${fromBatches} of 12,000 came from batches`);
  assert.ok(signer.tokens < 12_000 * 2, `${signer.tokens} tokens signed for 12,000 pages`);
  assert.equal(issuedAt(pool.take('other', T0), 'other', T0 + 60_000), T0, 'another post’s page is not served from this post’s batch');
});

test('a batch is not handed out after its stamp: the token is signed when served instead', async () => {
  const signer = countingSigner();
  const pool = formTokenPool(SECRET, signer);
  pool.take('post', T0);
  pool.take('post', T0 + 1); // busy: a batch stamped T0 + 1 + LEAD_MS is asked for
  await nextTurn();
  assert.equal(signer.batches, 1);
  assert.equal(issuedAt(pool.take('post', T0 + 2), 'post', T0 + 60_000), T0 + 1 + LEAD_MS);
  const late = T0 + 2 + LEAD_MS * 4;
  assert.equal(issuedAt(pool.take('post', late), 'post', late + 60_000), late);
});

test('when the signing thread fails, tokens are signed when served', async () => {
  const failing: BatchSigner = async () => {
    throw new Error('the token signing thread stopped');
  };
  const pool = formTokenPool(SECRET, failing);
  const reported: unknown[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => reported.push(args.join(' '));
  try {
    for (let i = 0; i < 50; i++) {
      const now = T0 + i;
      assert.equal(issuedAt(pool.take('post', now), 'post', now + 60_000), now);
      await nextTurn();
    }
  } finally {
    console.error = error;
  }
  assert.equal(reported.length, 1, 'the failure is reported once');
});
