// Re-importing a later WordPress export: replies to comments imported by an earlier run must
// attach to those comments, not become top-level ones.
// Run: node --import tsx --test src/server/wordpress-reimport.test.ts
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../db/testing.ts';
import type { WordPressComment, WordPressPost } from '../domain/comments/wordpress.ts';
import type { PostSummary } from '../domain/posts/posts.ts';
import { loadCommentSection } from './comments.ts';
import { importWordPressComments } from './wordpress-import.ts';

const secret = 'w'.repeat(64);
const slug = 'database-failover';
const post: PostSummary = { slug, title: 'Failover', description: '', pubDate: new Date('2024-01-01'), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 1 };

function wp(id: number, parentId: number | null, text: string, minute: number): WordPressComment {
  return {
    id,
    parentId,
    authorName: `Reader ${id}`,
    authorEmail: `reader${id}@example.com`,
    authorUrl: null,
    authorIp: null,
    createdAt: new Date(Date.UTC(2024, 2, 1, 9, minute)),
    html: text,
    status: 'approved',
  };
}

const exportOf = (comments: WordPressComment[]): WordPressPost[] => [{ slug, title: 'Failover', comments, skippedPings: 0 }];

/** WordPress id (from the import key) of each stored comment, and of its parent. */
function storedParents(db: ReturnType<typeof createTestDb>): Record<string, string | null> {
  const rows = db.$client
    .prepare('select c.import_key as key, p.import_key as parent from comments c left join comments p on p.id = c.parent_id order by c.id')
    .all() as { key: string; parent: string | null }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.parent]));
}

describe('importWordPressComments, run again on a later export', () => {
  test('new replies attach to comments imported by the earlier run', () => {
    const db = createTestDb();
    const first = importWordPressComments(db, exportOf([wp(101, null, 'Was the primary down?', 0), wp(102, 101, 'Only for a minute.', 5)]), new Set([slug]), secret);
    assert.equal(first.imported, 2);

    // The later export still holds the old comments and adds replies: to the old top-level
    // comment, to the old reply, and to one of the new replies.
    const second = importWordPressComments(
      db,
      exportOf([
        wp(101, null, 'Was the primary down?', 0),
        wp(102, 101, 'Only for a minute.', 5),
        wp(103, 101, 'Which region?', 10),
        wp(104, 102, 'Thanks, that matches our logs.', 15),
        wp(105, 103, 'eu-west.', 20),
      ]),
      new Set([slug]),
      secret,
    );
    assert.equal(second.imported, 3);
    assert.equal(second.alreadyImported, 2);

    assert.deepEqual(storedParents(db), {
      'wordpress:101': null,
      'wordpress:102': 'wordpress:101',
      'wordpress:103': 'wordpress:101',
      'wordpress:104': 'wordpress:102',
      'wordpress:105': 'wordpress:103',
    });

    // What a reader sees: one thread, every reply under the comment it answers.
    const tree = loadCommentSection(db, post, [], null, new Date('2024-04-01')).tree;
    assert.equal(tree.length, 1);
    const [root] = tree;
    assert.equal(root.comment.authorName, 'Reader 101');
    assert.deepEqual(root.replies.map((r) => r.comment.authorName), ['Reader 102', 'Reader 103']);
    assert.deepEqual(root.replies[0].replies.map((r) => r.comment.authorName), ['Reader 104']);
    assert.deepEqual(root.replies[1].replies.map((r) => r.comment.authorName), ['Reader 105']);
  });
});
