import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExportFile, EXPORT_FORMAT, EXPORT_VERSION, type ExportedComment } from './export-format.ts';

const comment = (over: Partial<ExportedComment> = {}): ExportedComment => ({
  id: 1,
  post: 'hello-world',
  parentId: null,
  status: 'approved',
  previousStatus: null,
  authorName: 'Ada',
  authorEmail: 'ada@example.com',
  authorUrl: null,
  source: 'Hi',
  moderator: null,
  decisionReason: 'default',
  clientHash: null,
  importKey: null,
  createdAt: '2024-03-01T09:15:00.000Z',
  updatedAt: '2024-03-01T09:15:00.000Z',
  erasedAt: null,
  ...over,
});

const file = (comments: unknown[], over: Record<string, unknown> = {}) => ({ format: EXPORT_FORMAT, version: EXPORT_VERSION, comments, ...over });

/** The one-line refusal, or a failure when the file was accepted. */
function refusal(json: unknown): string {
  const result = checkExportFile(json);
  assert.equal(result.ok, false, 'the file should have been refused');
  return result.ok ? '' : result.error;
}

describe('checkExportFile', () => {
  test('accepts a thread of comments, replies and a moderator reply, returning them unchanged', () => {
    const comments = [
      comment(),
      comment({ id: 2, parentId: 1, status: 'trash', previousStatus: 'approved', erasedAt: '2024-04-01T00:00:00.000Z' }),
      comment({ id: 3, parentId: 2, moderator: { email: 'mod@example.com', name: 'Mod' }, importKey: 'wordpress:12', authorUrl: 'https://ada.example/' }),
      comment({ id: 4, post: 'other-post', status: 'spam' }),
    ];
    const result = checkExportFile(file(comments));
    assert.deepEqual(result, { ok: true, value: file(comments) });
    assert.deepEqual(checkExportFile(file([])), { ok: true, value: file([]) });
  });

  test('names the format and version it reads', () => {
    assert.equal(refusal(file([], { format: 'disqus' })), 'format: must be "afterword-comments"');
    assert.equal(refusal(file([], { version: 2 })), 'version: must be 1 (this version of Afterword reads version 1)');
  });

  test('a document that is not an archive at all is refused as "the file"', () => {
    assert.match(refusal([]), /^the file: /);
    assert.match(refusal('text'), /^the file: /);
  });

  test('a problem inside a comment names its index and field path', () => {
    assert.equal(refusal(file([comment(), comment({ id: 2, status: 'deleted' as never })])), 'comments[1].status: must be one of pending, approved, spam, trash');
    assert.equal(refusal(file([comment({ previousStatus: 'gone' as never })])), 'comments[0].previousStatus: must be one of pending, approved, spam, trash');
    assert.equal(refusal(file([comment({ createdAt: '2024-03-01 09:15:00' })])), 'comments[0].createdAt: must be an ISO 8601 UTC time such as 2024-03-01T09:15:00.000Z');
    assert.equal(refusal(file([comment({ updatedAt: '2024-13-01T09:15:00.000Z' })])), 'comments[0].updatedAt: must be a real date');
    assert.match(refusal(file([comment({ moderator: { email: '', name: 'x' } })])), /^comments\[0\]\.moderator\.email: /);
    assert.match(refusal(file([comment({ id: 0 })])), /^comments\[0\]\.id: /);
    assert.match(refusal(file([comment({ post: '' })])), /^comments\[0\]\.post: /);
    assert.match(refusal(file([{ ...comment(), html: '<script>' }])), /^comments\[0\]: Unrecognized key/);
    assert.match(refusal({ ...file([]), extra: true }), /^the file: Unrecognized key/);
  });

  test('every id appears once, naming the second copy', () => {
    assert.equal(refusal(file([comment(), comment({ id: 2 }), comment({ id: 2, source: 'again' })])), 'comments[2].id: 2 appears twice');
  });

  test('a reply needs its parent in the file, on the same post; order in the file does not matter', () => {
    assert.equal(refusal(file([comment(), comment({ id: 2, parentId: 999 })])), 'comments[1].parentId: no comment with id 999 in the file');
    assert.equal(refusal(file([comment(), comment({ id: 2, post: 'other-post', parentId: 1 })])), 'comments[1].parentId: comment 1 is on another post');
    assert.equal(checkExportFile(file([comment({ id: 5, parentId: 9 }), comment({ id: 9 })])).ok, true);
  });
});
