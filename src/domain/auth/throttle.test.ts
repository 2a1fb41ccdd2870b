import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOCK_MS, MAX_FAILURES, recordFailure, remainingLockMs, WINDOW_MS, type FailureRecord } from './throttle.ts';

const t0 = new Date('2026-11-25T10:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describe('login throttle', () => {
  test(`locks after ${MAX_FAILURES} failures in the window, for the lock time`, () => {
    let record: FailureRecord | undefined;
    for (let i = 0; i < MAX_FAILURES - 1; i++) record = recordFailure(record, 'k', later(i * 1000));
    assert.equal(remainingLockMs([record!], later(5000)), 0);
    record = recordFailure(record, 'k', later(5000));
    assert.equal(remainingLockMs([record], later(5000)), LOCK_MS);
    assert.equal(remainingLockMs([record], later(5000 + LOCK_MS)), 0);
  });

  test('failures spread beyond the window start over', () => {
    let record = recordFailure(undefined, 'k', t0);
    for (let i = 1; i < MAX_FAILURES; i++) record = recordFailure(record, 'k', later(i * (WINDOW_MS / 2 + 1)));
    assert.equal(record.lockedUntil, null);
  });

  test('the longest lock of several keys wins', () => {
    const a: FailureRecord = { key: 'a', failures: 5, firstFailureAt: t0, lockedUntil: later(1000) };
    const b: FailureRecord = { key: 'b', failures: 5, firstFailureAt: t0, lockedUntil: later(9000) };
    assert.equal(remainingLockMs([a, b], t0), 9000);
  });
});
