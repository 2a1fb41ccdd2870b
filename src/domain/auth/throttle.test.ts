import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countAttempt, LOCK_MS, MAX_ATTEMPTS, remainingLockMs, WINDOW_MS, type AttemptRecord } from './throttle.ts';

const t0 = new Date('2026-11-25T10:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describe('login throttle', () => {
  test(`${MAX_ATTEMPTS} attempts in the window are allowed; the next one locks, for the lock time`, () => {
    let record: AttemptRecord | undefined;
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      record = countAttempt(record, 'k', later(i * 1000));
      assert.equal(remainingLockMs([record], later(i * 1000)), 0, `attempt ${i + 1}`);
    }
    record = countAttempt(record, 'k', later(5000));
    assert.equal(remainingLockMs([record], later(5000)), LOCK_MS);
    assert.equal(remainingLockMs([record], later(5000 + LOCK_MS)), 0);
  });

  test('attempts while locked do not extend the lock', () => {
    let record: AttemptRecord | undefined;
    for (let i = 0; i <= MAX_ATTEMPTS; i++) record = countAttempt(record, 'k', t0);
    const until = record!.lockedUntil!.getTime();
    for (let i = 1; i <= 20; i++) record = countAttempt(record, 'k', later(i * 30_000));
    assert.equal(record!.lockedUntil!.getTime(), until);
    // Once the lock is over, a new window starts.
    record = countAttempt(record, 'k', new Date(until + 1));
    assert.deepEqual([record.failures, record.lockedUntil], [1, null]);
  });

  test('attempts spread beyond the window start over', () => {
    let record = countAttempt(undefined, 'k', t0);
    for (let i = 1; i <= MAX_ATTEMPTS + 2; i++) record = countAttempt(record, 'k', later(i * (WINDOW_MS / 2 + 1)));
    assert.equal(record.lockedUntil, null);
  });

  test('the longest lock of several keys wins', () => {
    const a: AttemptRecord = { key: 'a', failures: 6, firstFailureAt: t0, lockedUntil: later(1000) };
    const b: AttemptRecord = { key: 'b', failures: 6, firstFailureAt: t0, lockedUntil: later(9000) };
    assert.equal(remainingLockMs([a, b], t0), 9000);
  });
});
