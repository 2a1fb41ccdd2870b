import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFormToken } from '../../services/tokens.ts';
import { startFormTokenSigner } from './form-token-signer.ts';

const SECRET = 'signer-test-secret-'.padEnd(64, 'x');

test('the signing thread signs a batch of distinct tokens for the post and time asked for', async () => {
  const signer = startFormTokenSigner(SECRET);
  try {
    const issued = Date.parse('2026-12-01T08:00:00Z');
    const batch = (await signer.signBatch('outage', issued, 3)).toString('latin1');
    const tokens = batch.match(new RegExp(`.{${batch.length / 3}}`, 'g'))!;
    assert.equal(new Set(tokens).size, 3);
    for (const token of tokens) {
      assert.equal(token.split('.')[0], String(issued));
      assert.equal(checkFormToken(SECRET, 'outage', token, new Date(issued + 5_000)).state, 'valid');
      assert.equal(checkFormToken(SECRET, 'another-post', token, new Date(issued + 5_000)).state, 'forged');
    }
  } finally {
    await signer.stop();
  }
});

test('once the thread is gone, a batch is refused rather than awaited for ever', async () => {
  const signer = startFormTokenSigner(SECRET);
  await signer.stop();
  await assert.rejects(signer.signBatch('outage', Date.now(), 3), /stopped/);
});
