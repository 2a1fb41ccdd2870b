/**
 * `node --import tsx scripts/generate-wordpress-export.ts <file.xml> [comments] [posts]`: writes
 * a synthetic WordPress export (WXR 1.2) for measuring the importer on a large file. Defaults:
 * 40,000 comments on 400 posts with post text, about 50 MB, threaded, with the awkward cases
 * mixed in (entities in names, Markdown-looking text, quotes, pingbacks, spam). Posts are named
 * after content/posts (several items per post) so every comment lands. Written piece by piece, never held whole.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { WXR_HEAD, WXR_TAIL, wxrItem, type FixtureComment } from '../src/domain/comments/wordpress.fixture';
import { knownPostSlugs } from './import-report';

const [file, commentsArg = '40000', postsArg = '400'] = process.argv.slice(2);
if (!file) {
  console.error('Usage: node --import tsx scripts/generate-wordpress-export.ts <file.xml> [comments] [posts]');
  process.exit(1);
}
const totalComments = Number(commentsArg);
const totalPosts = Number(postsArg);
const slugs = [...knownPostSlugs()];

const TEXTS = [
  'Thanks for the <strong>write-up</strong>! We saw the same with __init__ and C:\\Temp\\*.log.',
  '&gt; quoting the post\nAnd my answer on a second line.\n\nA second paragraph with https://example.com/a_b?c=1&amp;d=2.',
  '<blockquote>Was TLS affected?</blockquote>\nYes, <em>only</em> TLS. See <a href="https://status.example.com/">the status page</a>.',
  'Plain text with [brackets](https://example.org) and *stars* and `ticks`.',
];
const BODY = `<p>${'The registration storm started at 09:12 when the SBC restarted. '.repeat(200)}</p>`;

const fd = openSync(file, 'w');
writeSync(fd, WXR_HEAD);
let id = 1;
for (let p = 0; p < totalPosts; p++) {
  const count = Math.floor(totalComments / totalPosts) + (p < totalComments % totalPosts ? 1 : 0);
  const first = id;
  const comments: FixtureComment[] = [];
  for (let c = 0; c < count; c++, id++) {
    const n = id;
    comments.push({
      id: n,
      parent: c > 0 && n % 3 === 0 ? first + ((n * 7) % c) : undefined,
      author: n % 11 === 0 ? `Amp &amp; Sand ${n}` : `Reader ${n % 4500}`,
      email: `reader${n % 4500}@example.com`,
      url: n % 5 === 0 ? `https://reader${n}.example.net/` : '',
      ip: `198.51.100.${n % 250}`,
      dateGmt: new Date(Date.UTC(2015, 0, 1) + n * 3_600_000).toISOString().slice(0, 19).replace('T', ' '),
      content: `${TEXTS[n % TEXTS.length]} (${n}) ${'More words to make a realistic comment length. '.repeat(n % 9)}`,
      approved: n % 50 === 0 ? 'spam' : n % 37 === 0 ? '0' : '1',
      type: n % 97 === 0 ? 'pingback' : 'comment',
    });
  }
  writeSync(fd, wxrItem({ postId: 1000 + p, slug: slugs[p % slugs.length], title: `Post ${p}`, body: BODY, comments }));
}
writeSync(fd, WXR_TAIL);
closeSync(fd);
console.log(`Wrote ${file}: ${id - 1} comments on ${totalPosts} posts.`);
