import assert from 'node:assert/strict';
import { test } from 'node:test';
import { carriesPersonalCookie } from './personal.ts';

test('any aw_ cookie makes a request personal; other cookies, or aw_ inside another cookie, do not', () => {
  for (const header of ['aw_own=1', 'theme=dark; aw_commenter=x', 'a=1;aw_session=s']) assert.equal(carriesPersonalCookie(header), true, header);
  for (const header of [null, undefined, '', 'theme=dark', 'x=aw_own', 'law_firm=1']) assert.equal(carriesPersonalCookie(header), false, String(header));
});
