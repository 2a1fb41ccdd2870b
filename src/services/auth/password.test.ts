import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, PasswordCheckBusyError, passwordProblem, verifyPassword, withHashSlot } from './password.ts';

describe('password hashing', () => {
  test('the right password matches, a wrong one does not, hashes are salted', async () => {
    const hash = await hashPassword('correct horse battery staple');
    assert.match(hash, /^scrypt\$32768\$8\$1\$/);
    assert.ok(!hash.includes('correct'));
    assert.equal(await verifyPassword('correct horse battery staple', hash), true);
    assert.equal(await verifyPassword('correct horse battery stapler', hash), false);
    assert.notEqual(await hashPassword('correct horse battery staple'), hash);
  });
  test('malformed stored hashes never match', async () => {
    assert.equal(await verifyPassword('x', ''), false);
    assert.equal(await verifyPassword('x', 'md5$abc'), false);
  });
  test('too-short passwords are refused with a reason', () => {
    assert.match(passwordProblem('short')!, /at least 12/);
    assert.equal(passwordProblem('a long enough passphrase'), null);
  });
});

describe('password check slots', () => {
  test('at most two run at once; a queue beyond sixteen is refused as busy; every slot is given back', async () => {
    let active = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const work = () =>
      new Promise<string>((resolve) => {
        active++;
        peak = Math.max(peak, active);
        gates.push(() => {
          active--;
          resolve('done');
        });
      });
    const runs = Array.from({ length: 18 }, () => withHashSlot(work));
    await assert.rejects(withHashSlot(work), PasswordCheckBusyError);
    while (gates.length || active) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    assert.deepEqual(await Promise.all(runs), Array(18).fill('done'));
    assert.equal(peak, 2);
    // All slots are free again.
    assert.equal(await withHashSlot(async () => 'again'), 'again');
  });
});
