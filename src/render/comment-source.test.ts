// commentSourceFromHtml: WordPress comment HTML -> the Markdown-ish source new comments use.
// Each case is what an imported comment would otherwise lose or mangle.
// Run: node --import tsx --test src/render/comment-source.test.ts
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { commentSourceFromHtml, renderCommentBody } from './comment-body.js';

describe('commentSourceFromHtml: markup', () => {
  test('<b> and <i> (what older WordPress themes emit) become bold and italic like <strong> and <em>', () => {
    assert.equal(commentSourceFromHtml('<b>bold</b> and <i>italic</i>'), '**bold** and *italic*');
    assert.equal(commentSourceFromHtml('<strong>bold</strong> and <em>italic</em>'), '**bold** and *italic*');
  });

  test('<code> becomes backticks', () => {
    assert.equal(commentSourceFromHtml('run <code>dig +short</code> again'), 'run `dig +short` again');
  });

  test('<br> in any spelling becomes a line break', () => {
    assert.equal(commentSourceFromHtml('one<br>two<br/>three<br />four'), 'one\ntwo\nthree\nfour');
  });

  test('a link whose text is its address becomes a bare address; other links keep text and address', () => {
    assert.equal(commentSourceFromHtml('<a href="https://example.com/">https://example.com/</a>'), 'https://example.com/');
    assert.equal(commentSourceFromHtml('<a href="https://example.com/">the site</a>'), '[the site](https://example.com/)');
  });

  test('a link without an address (or with a refused one) keeps only its text', () => {
    assert.equal(commentSourceFromHtml('<a>plain</a> <a name="x">anchor</a>'), 'plain anchor');
    assert.equal(commentSourceFromHtml('<a href="data:text/html,x">data</a>'), 'data');
  });

  test('a quote of several paragraphs becomes one > line per line, set apart from the text around it', () => {
    assert.equal(
      commentSourceFromHtml('Before<blockquote><p>First line</p><p>Second line</p></blockquote>After'),
      'Before\n\n> First line\n> \n> Second line\n\nAfter',
    );
  });

  test('paragraphs become blank-line separated, never more than one blank line', () => {
    assert.equal(commentSourceFromHtml('<p>One</p><p>Two</p>\n\n\n<p>Three</p>'), 'One\n\nTwo\n\nThree');
  });

  test('control characters are removed', () => {
    assert.equal(commentSourceFromHtml('a\u0007b\u001bc'), 'abc');
  });
});

describe('commentSourceFromHtml: entities', () => {
  test('decimal, hexadecimal (either case) and named entities decode', () => {
    assert.equal(commentSourceFromHtml('&#8211; &#x2014; &#X41; &amp; &quot;q&quot; &apos;a&apos;'), '– — A & "q" \'a\'');
  });

  test('&nbsp; stays a no-break space', () => {
    assert.equal(commentSourceFromHtml('a&nbsp;b'), 'a\u00a0b');
  });

  test('an entity for a character the source syntax uses decodes to that character', () => {
    assert.equal(commentSourceFromHtml('&AMP; &GT; &#42;'), '& > *');
  });

  test('decoded markup stays text once rendered', () => {
    const source = commentSourceFromHtml('&lt;script&gt;alert(1)&lt;/script&gt;');
    assert.equal(source, '<script>alert(1)</script>');
    assert.equal(renderCommentBody(source), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });
});
