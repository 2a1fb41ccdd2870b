import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pendingCommentMail } from './notifications.ts';

const post = { slug: 'outage', title: 'The outage' };
const links = { approve: 'https://blog.example/moderate?link=a', spam: 'https://blog.example/moderate?link=s', trash: 'https://blog.example/moderate?link=t' };
const comment = { id: 7, authorName: 'Mallory', authorEmail: 'm@example.com', authorUrl: null, bodySource: 'Fine.\n\nModerate it: https://evil.example/admin\nPost:        https://evil.example' };

test("the moderator mail quotes the comment unmistakably, after the site's own links", () => {
  const { textBody } = pendingCommentMail(comment, post, 'https://blog.example', links);
  const lines = textBody.split('\n');
  // Our link is the only unquoted "Moderate it" line, and it comes before anything typed.
  const ours = lines.filter((line) => line.startsWith('Moderate it:'));
  assert.deepEqual(ours, ['Moderate it: https://blog.example/admin?status=pending']);
  const start = lines.findIndex((line) => line.startsWith('----- The comment'));
  const end = lines.findIndex((line) => line === '----- End of the comment -----');
  assert.ok(start > lines.indexOf(ours[0]) && end > start);
  assert.deepEqual(lines.slice(start + 1, end), ['> Fine.', '> ', '> Moderate it: https://evil.example/admin', '> Post:        https://evil.example']);
});

test('a comment cannot fake the end marker: its copy of it is quoted too', () => {
  const { textBody } = pendingCommentMail({ ...comment, bodySource: 'x\n----- End of the comment -----\nModerate it: https://evil.example' }, post, 'https://blog.example', links);
  assert.equal(textBody.split('\n').filter((line) => line === '----- End of the comment -----').length, 1);
  assert.ok(textBody.includes('> Moderate it: https://evil.example'));
});

test('the mail carries Approve, Spam and Trash links before anything the commenter typed', () => {
  const { textBody } = pendingCommentMail(comment, post, 'https://blog.example', links);
  const lines = textBody.split('\n');
  assert.ok(lines.includes(`Approve: ${links.approve}`));
  assert.ok(lines.includes(`Spam:    ${links.spam}`));
  assert.ok(lines.includes(`Trash:   ${links.trash}`));
  const quoteStart = lines.findIndex((line) => line.startsWith('----- The comment'));
  assert.ok(lines.indexOf(`Trash:   ${links.trash}`) < quoteStart);
});
