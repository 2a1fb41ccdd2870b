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

describe('login throttle: edges of the window and the lock', () => {
  test('an attempt exactly one window after the first still counts in that window; a moment later starts afresh', () => {
    const first = countAttempt(undefined, 'k', t0);
    assert.deepEqual(countAttempt(first, 'k', later(WINDOW_MS)), { key: 'k', failures: 2, firstFailureAt: t0, lockedUntil: null });
    assert.deepEqual(countAttempt(first, 'k', later(WINDOW_MS + 1)), { key: 'k', failures: 1, firstFailureAt: later(WINDOW_MS + 1), lockedUntil: null });
  });

  test('a lock runs out exactly when it says; an attempt still inside the window then locks again, one after it starts afresh', () => {
    let record: AttemptRecord | undefined;
    for (let i = 0; i <= MAX_ATTEMPTS; i++) record = countAttempt(record, 'k', t0);
    assert.deepEqual(record!.lockedUntil, later(LOCK_MS));
    assert.equal(remainingLockMs([record!], later(LOCK_MS - 1)), 1);
    // The lock and the window end together: this is the seventh attempt in the window.
    const atEnd = countAttempt(record, 'k', later(LOCK_MS));
    assert.deepEqual([atEnd.failures, atEnd.lockedUntil], [MAX_ATTEMPTS + 2, later(2 * LOCK_MS)]);
    const after = countAttempt(record, 'k', later(LOCK_MS + 1));
    assert.deepEqual([after.failures, after.lockedUntil], [1, null]);
  });

  test('keys that were never locked, or no keys at all, leave login open', () => {
    assert.equal(remainingLockMs([], t0), 0);
    assert.equal(remainingLockMs([{ key: 'a', failures: 3, firstFailureAt: t0, lockedUntil: null }], t0), 0);
    // A lock that ended in the past never counts as negative time.
    assert.equal(remainingLockMs([{ key: 'a', failures: 6, firstFailureAt: t0, lockedUntil: t0 }], later(5000)), 0);
  });
});
