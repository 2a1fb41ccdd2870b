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

test('every Cyrillic and Greek look-alike of a Latin letter is caught', () => {
  // [look-alike letters, the Latin letter they pass for]
  const lookalikes: [string, string][] = [
    ['аα', 'a'], ['вβ', 'b'], ['с', 'c'], ['ԁ', 'd'], ['еёε', 'e'], ['ɡ', 'g'], ['нһ', 'h'], ['іїι1', 'i'], ['ј', 'j'], ['кκ', 'k'],
    ['ӏ1|', 'l'], ['м', 'm'], ['η', 'n'], ['оο0', 'o'], ['рρ', 'p'], ['ԛ', 'q'], ['ѕ', 's'], ['тτ', 't'], ['μυ', 'u'], ['ν', 'v'],
    ['ԝ', 'w'], ['хχ', 'x'], ['у', 'y'], ['ζ', 'z'],
  ];
  for (const [letters, latin] of lookalikes) {
    for (const letter of letters) {
      // '1' reads as both l and i; only the l reading is folded.
      if (letter === '1' && latin === 'i') continue;
      const moderator = [{ name: `Ka${latin}ri`, email: 'kari@company.example' }];
      assert.equal(claimsModeratorIdentity({ name: `Ka${letter}ri`, email: 'reader@example.com' }, moderator), true, `${letter} for ${latin}`);
    }
  }
});

test('a name with nothing visible in it is never taken for a moderator without a display name', () => {
  const nameless = [{ name: '', email: 'ops@company.example' }];
  assert.equal(claimsModeratorIdentity({ name: '\u200B ', email: 'reader@example.com' }, nameless), false);
  assert.equal(claimsModeratorIdentity({ name: '', email: 'OPS@company.example' }, nameless), true);
});

test('hyphens and dots do not tell two spellings apart; other punctuation does', () => {
  assert.equal(identityKey('Dana-Ops'), identityKey('dana ops'));
  assert.notEqual(identityKey('Dana+Ops'), identityKey('dana ops'));
});
