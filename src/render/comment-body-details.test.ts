// Details of the comment renderer that comment-body.test.ts does not pin down: where links start
// and end, quotes next to text, the exact quote depth, and the href check on its own. Kept in
// a file of its own so `npm run test:mutation -- --incremental` keeps the other file's results.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sanitizeHtml from 'sanitize-html';

import { COMMENT_SANITIZE_OPTIONS, commentLinkHref, findBareLinks, renderCommentBody } from './comment-body.ts';

const REL = 'nofollow ugc noopener';
const sanitize = (html: string) => sanitizeHtml(html, COMMENT_SANITIZE_OPTIONS);

describe('renderCommentBody: details readers notice', () => {
  test('an exclamation mark before a link does not swallow the link', () => {
    assert.equal(
      renderCommentBody('Wow! [docs](https://example.com) and done!'),
      `<p>Wow! <a href="https://example.com" rel="${REL}">docs</a> and done!</p>`,
    );
    // Unfinished image syntax stays text, and a link after it still works.
    assert.equal(renderCommentBody('!['), '<p>![</p>');
    assert.equal(renderCommentBody('a ![b [c](https://x.example)'), `<p>a ![b <a href="https://x.example" rel="${REL}">c</a></p>`);
  });

  test('a quote may start right after a line of text, without a blank line', () => {
    assert.equal(renderCommentBody('As you wrote:\n> quoted'), '<p>As you wrote:</p>\n<blockquote>\n<p>quoted</p>\n</blockquote>');
  });

  test('quotes nest exactly eight deep; a ninth level is shown as typed', () => {
    const html = renderCommentBody('> '.repeat(9) + 'x');
    assert.equal((html.match(/<blockquote>/g) ?? []).length, 8);
    assert.match(html, /<p>&gt; x<\/p>/);
    assert.equal((renderCommentBody('> '.repeat(8) + 'x').match(/<blockquote>/g) ?? []).length, 8);
  });

  test('two backticks hold code with a backtick; three or more stay text even when closed', () => {
    assert.equal(renderCommentBody('``a ` b`` and a ```b``` c'), '<p><code>a ` b</code> and a ```b``` c</p>');
  });

  test('"www." without a domain after it is not a link', () => {
    assert.equal(renderCommentBody('www. and www.-x and www.'), '<p>www. and www.-x and www.</p>');
  });
});

describe('findBareLinks: the bare links the renderer would make', () => {
  test('gives where each starts and ends, its text and its href; ftp and protocol-relative are not links', () => {
    assert.deepEqual(findBareLinks('see www.example.com and https://x.example/a. or ftp://f.example //p.example mailto:me@example.com'), [
      { index: 4, lastIndex: 19, text: 'www.example.com', href: 'https://www.example.com' },
      { index: 24, lastIndex: 43, text: 'https://x.example/a', href: 'https://x.example/a' },
      { index: 76, lastIndex: 97, text: 'mailto:me@example.com', href: 'mailto:me@example.com' },
    ]);
    assert.deepEqual(findBareLinks('no links here, not even example.com'), []);
  });
});

describe('commentLinkHref: the href an imported link gets', () => {
  test('trims and percent-encodes an http(s) address; refuses anything else', () => {
    assert.equal(commentLinkHref(' https://example.com/a b '), 'https://example.com/a%20b');
    assert.equal(commentLinkHref('https://bücher.example/ä'), 'https://xn--bcher-kva.example/%C3%A4');
    assert.equal(commentLinkHref('mailto:me@example.com'), 'mailto:me@example.com');
    for (const url of ['', 'javascript:alert(1)', '/relative', '//evil.example', 'ftp://example.com', 'data:text/html,x']) {
      assert.equal(commentLinkHref(url), null, url);
    }
  });
});

describe('COMMENT_SANITIZE_OPTIONS: the whole href must be a plain address', () => {
  test('an allowed address later in the href does not make it allowed', () => {
    assert.equal(sanitize('<a href="javascript:alert(1)//https://evil.example">x</a>'), 'x');
    assert.equal(sanitize('<a href="data:text/html,x#mailto:a@b.example">x</a>'), 'x');
  });

  test('an href with whitespace or a control character after the address is refused', () => {
    assert.equal(sanitize('<a href="https://example.com/a b">x</a>'), 'x');
    assert.equal(sanitize('<a href="https://example.com/\u0007">x</a>'), 'x');
    assert.equal(sanitize('<a href="mailto:a@b.example x">x</a>'), 'x');
  });

  test('scheme case does not matter for mailto either', () => {
    assert.equal(sanitize('<a href="MAILTO:a@b.example">x</a>'), `<a href="MAILTO:a@b.example" rel="${REL}">x</a>`);
  });

  test('text around a stray <html> element is kept', () => {
    assert.equal(sanitize('before <html><body>inside</body></html> after'), 'before inside after');
  });
});
