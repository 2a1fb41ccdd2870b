// Flood control must compare with the client's MOST RECENT comment, not its first one.
// Run: node --import tsx --test src/services/flood.test.ts
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../db/testing.ts';
import { insertComment, lastCommentTimeFromClient } from '../../db/queries/comments.ts';
import type { PostSummary } from '../domain/posts/posts.ts';
import { submitComment, type Submission } from './comments.ts';
import { createFormToken } from './tokens.ts';

const secret = 'f'.repeat(64);
const post: PostSummary = {
  slug: 'outage', title: 'Outage', description: '', pubDate: new Date('2026-11-01'), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 3,
};
const settings = { COMMENT_FLOOD_SECONDS: 15, COMMENT_MIN_SECONDS: 3, SITE_URL: 'https://blog.example' };
const noon = new Date('2026-11-25T12:00:00Z');
const at = (seconds: number) => new Date(noon.getTime() + seconds * 1000);

/** A comment from 192.0.2.7 submitted at `now`, from a form served 10 s earlier. */
function from(now: Date, comment: string): Submission {
  return {
    // Spread, not a literal property: main's Submission also takes the browser's own comment ids.
    ...{ ownCommentIds: [] },
    post,
    clientAddress: '192.0.2.7',
    secret,
    now,
    settings,
    mailer: { deliver: async () => {} },
    fields: { name: 'Ada', email: 'ada@example.com', comment, token: createFormToken(secret, post.slug, new Date(now.getTime() - 10_000)) },
  };
}

describe('flood control with an earlier history', () => {
  test('an old comment, a recent one, then one inside the window of the recent one: refused', async () => {
    const db = await createTestDb();
    assert.equal((await submitComment(db, from(at(-3600), 'An hour ago'))).kind, 'stored');
    assert.equal((await submitComment(db, from(at(0), 'Just now'))).kind, 'stored');
    const third = await submitComment(db, from(at(5), 'And again'));
    assert.deepEqual(third, { kind: 'refused', reason: 'flood', retryAfterSeconds: 10 });
    // Once the window of the recent comment has passed, the client may comment again.
    assert.equal((await submitComment(db, from(at(16), 'And again'))).kind, 'stored');
  });

  test('the query returns the newest comment of the client, whatever order rows were stored in', async () => {
    const db = await createTestDb();
    const row = (createdAt: Date, clientHash: string) => ({
      postSlug: 'outage', status: 'approved' as const, authorName: 'A', authorEmail: 'a@example.com', bodySource: 'x', bodyHtml: '<p>x</p>', clientHash, createdAt, updatedAt: createdAt,
    });
    await insertComment(db, row(at(-60), 'c1'));
    await insertComment(db, row(at(0), 'c1'));
    await insertComment(db, row(at(-3600), 'c1')); // an imported or back-dated row stored last
    await insertComment(db, row(at(30), 'someone-else'));
    assert.equal((await lastCommentTimeFromClient(db, 'c1'))?.getTime(), at(0).getTime());
    assert.equal(await lastCommentTimeFromClient(db, 'nobody'), undefined);
  });
});
