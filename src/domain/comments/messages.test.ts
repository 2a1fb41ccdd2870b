import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMENT_MESSAGE_KEYS, isMessageKey } from './messages.ts';

test('only the domain’s own message keys pass as keys (a key from a query string is checked before use)', () => {
  for (const key of COMMENT_MESSAGE_KEYS) assert.equal(isMessageKey(key), true, key);
  for (const value of ['', 'name', 'name.required ', 'NAME.REQUIRED', 'toString', 42, null, undefined, ['name.required']]) assert.equal(isMessageKey(value), false, String(value));
  assert.ok(COMMENT_MESSAGE_KEYS.includes('field.invalid') && Object.isFrozen(COMMENT_MESSAGE_KEYS));
});
