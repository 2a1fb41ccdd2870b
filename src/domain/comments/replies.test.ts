import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptsReplies, showsReplyLink } from './replies.ts';

test('only a published, not erased comment of the same post takes replies', () => {
  const published = { postSlug: 'outage', status: 'approved' as const, erasedAt: null };
  assert.equal(acceptsReplies(published, 'outage'), true);
  assert.equal(acceptsReplies(published, 'other'), false);
  for (const status of ['pending', 'spam', 'trash'] as const) assert.equal(acceptsReplies({ ...published, status }, 'outage'), false, status);
  assert.equal(acceptsReplies({ ...published, erasedAt: new Date() }, 'outage'), false);
  assert.equal(showsReplyLink({ pending: false, removed: false }), true);
  assert.equal(showsReplyLink({ pending: true, removed: false }), false);
  assert.equal(showsReplyLink({ pending: false, removed: true }), false);
});
