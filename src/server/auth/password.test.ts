import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';

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
