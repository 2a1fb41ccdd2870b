import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claimsModeratorIdentity, identityKey } from './identity';

const staff = [{ name: 'Dana Ops', email: 'dana@company.example' }];

test('a moderator name is recognised however it is spelled to look the same', () => {
  for (const name of ['Dana Ops', 'dana ops', 'DANA OPS', 'Dana  Ops', 'Dana\u200BOps', 'Dana\u00ADOps', 'Dána Öps', 'Dаna Ops' /* Cyrillic а */, 'Ｄａｎａ Ｏｐｓ', 'Dana\u2060 Ops', 'Dana_Ops', 'Dana.Ops', 'D\u034Fana Ops', 'Dana Ops\u200F']) {
    assert.equal(claimsModeratorIdentity({ name, email: 'someone@else.example' }, staff), true, JSON.stringify(name));
  }
});

test('a moderator email is recognised in any case or with look-alikes', () => {
  for (const email of ['dana@company.example', 'DANA@Company.Example', 'dаna@company.example', 'd.ana@company.example']) {
    assert.equal(claimsModeratorIdentity({ name: 'Reader', email }, staff), true, email);
  }
});

test('other names and addresses are not taken for a moderator', () => {
  for (const [name, email] of [['Dana', 'dana@other.example'], ['Dana Opsworth', 'reader@example.com'], ['Ops Dana', 'ops@company.example']]) {
    assert.equal(claimsModeratorIdentity({ name, email }, staff), false, name);
  }
  assert.equal(claimsModeratorIdentity({ name: 'Anyone', email: 'a@b.example' }, []), false);
});

test('identityKey drops invisible characters and folds width and case', () => {
  assert.equal(identityKey('A\u200B\u200C\u200D\u2060\uFEFFb'), 'ab');
  assert.equal(identityKey('ＡＢＣ'), 'abc');
});
