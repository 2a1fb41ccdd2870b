// Run: node --import tsx --test src/render/comment-body.test.ts
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import sanitizeHtml from 'sanitize-html';

import {
  COMMENT_SANITIZE_OPTIONS,
  countLinks,
  renderCommentExcerpt,
  renderCommentBody,
  renderCommentBodyAsText,
} from './comment-body.js';
import { XSS_PAYLOADS } from './xss-payloads.js';

const REL = 'nofollow ugc noopener';

/** Decodes the HTML entities a browser would decode in text or attributes. */
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ent: string) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return String.fromCodePoint(code);
    }
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
    return named[ent.toLowerCase()] ?? whole;
  });
}

/** Roughly what a reader sees: tags removed (<br> as newline), entities decoded. */
function visibleText(html: string): string {
  return decodeEntities(
    html
      .replace(/<br\s*\/?>\n?/g, '\n')
      .replace(/<\/p>\s*<p>/g, '\n\n')
      .replace(/<[^>]*>/g, '')
      .trim(),
  );
}

/** href values of real tags only (typed text like `href="..."` is escaped text, not a tag). */
function hrefs(html: string): string[] {
  return [...html.matchAll(/<[^>]*>/g)].flatMap(([tag]) =>
    [...tag.matchAll(/href="([^"]*)"/g)].map((m) => decodeEntities(m[1] ?? '')),
  );
}

/** Every tag in the output must be one we allow, in exactly the shape we emit. */
const ALLOWED_TAG_RE = /^<(?:\/?(?:p|strong|em|code|blockquote|a)|br \/|a href="[^"<>]*" rel="nofollow ugc noopener")>$/;

function assertOnlyAllowedTags(html: string): void {
  for (const [tag] of html.matchAll(/<[^>]*>/g)) {
    assert.match(tag, ALLOWED_TAG_RE, `unexpected tag ${tag} in ${html}`);
  }
  // Nothing that looks like the start of a tag is left unescaped.
  assert.doesNotMatch(html.replace(/<[^>]*>/g, ''), /[<>]/, `stray < or > in ${html}`);
}

describe('renderCommentBody: formatting people use', () => {
  test('a single line becomes one paragraph', () => {
    assert.equal(renderCommentBody('Nice post!'), '<p>Nice post!</p>');
  });

  test('a blank line starts a new paragraph', () => {
    assert.equal(renderCommentBody('First.\n\nSecond.'), '<p>First.</p>\n<p>Second.</p>');
  });

  test('a single newline is kept as a line break', () => {
    assert.equal(renderCommentBody('Roses are red\nViolets are blue'), '<p>Roses are red<br />\nViolets are blue</p>');
  });

  test('Windows line endings behave like \\n', () => {
    assert.equal(renderCommentBody('a\r\nb\r\n\r\nc'), renderCommentBody('a\nb\n\nc'));
  });

  test('**bold**, *italic*, _italic_ and `code`', () => {
    assert.equal(
      renderCommentBody('**bold** *italic* _also_ `x = 1`'),
      '<p><strong>bold</strong> <em>italic</em> <em>also</em> <code>x = 1</code></p>',
    );
  });

  test('code spans show markup literally', () => {
    assert.equal(renderCommentBody('use `<div class="a">` here'), '<p>use <code>&lt;div class="a"&gt;</code> here</p>');
  });

  test('> starts a blockquote', () => {
    assert.equal(
      renderCommentBody('> you said this\n> over two lines\n\nI disagree.'),
      '<blockquote>\n<p>you said this<br />\nover two lines</p>\n</blockquote>\n<p>I disagree.</p>',
    );
  });

  test('nested quotes work, and very deep nesting keeps the text instead of dropping it', () => {
    assert.match(renderCommentBody('> > inner'), /<blockquote>\n<blockquote>\n<p>inner<\/p>/);
    const deep = renderCommentBody('> '.repeat(40) + 'still here');
    assert.match(deep, /still here/);
    assert.ok((deep.match(/<blockquote>/g) ?? []).length <= 8);
  });

  test('[text](https://...) becomes a nofollow ugc link with the given text', () => {
    assert.equal(
      renderCommentBody('see [the docs](https://example.com/docs)'),
      `<p>see <a href="https://example.com/docs" rel="${REL}">the docs</a></p>`,
    );
  });

  test('a bare https URL is linked, query string intact, trailing period not included', () => {
    assert.equal(
      renderCommentBody('Read https://example.com/path?q=1&r=2.'),
      `<p>Read <a href="https://example.com/path?q=1&amp;r=2" rel="${REL}">https://example.com/path?q=1&amp;r=2</a>.</p>`,
    );
  });

  test('bare http:// and mailto: are linked', () => {
    const html = renderCommentBody('http://example.org and mailto:me@example.com');
    assert.deepEqual(hrefs(html), ['http://example.org', 'mailto:me@example.com']);
  });

  test('www. addresses are linked (to https)', () => {
    assert.equal(
      renderCommentBody('try www.example.com/a'),
      `<p>try <a href="https://www.example.com/a" rel="${REL}">www.example.com/a</a></p>`,
    );
  });

  test('bare domains, file names and e-mail addresses are NOT linked', () => {
    const src = 'example.com, setup.py, README.md and me@example.com';
    assert.equal(renderCommentBody(src), `<p>${src}</p>`);
  });

  test('a URL inside [text](url) is not linked twice', () => {
    assert.equal(countLinks(renderCommentBody('[https://example.com](https://example.com)')), 1);
  });

  test('links never get target, title or a user-chosen rel', () => {
    const html = renderCommentBody('[x](https://example.com "a title")');
    assert.equal(html, `<p><a href="https://example.com" rel="${REL}">x</a></p>`);
  });

  test('links with other schemes, relative or protocol-relative URLs stay text', () => {
    for (const src of ['[x](javascript:alert(1))', '[x](/relative)', '[x](//evil.example)', '[x](ftp://example.com)']) {
      const html = renderCommentBody(src);
      assert.doesNotMatch(html, /<a\s/, src);
      assert.equal(visibleText(html), src);
    }
  });

  test('headings, lists, tables, rules and strikethrough stay plain text', () => {
    const cases = [
      '# Heading',
      '## Heading 2',
      'Title\n=====',
      '- one\n- two',
      '* one\n* two',
      '1. one\n2. two',
      '| a | b |\n|---|---|\n| 1 | 2 |',
      '---',
      '~~gone~~',
    ];
    for (const src of cases) {
      const html = renderCommentBody(src);
      assert.doesNotMatch(html, /<(h\d|ul|ol|li|table|tr|td|th|hr|del|s)\b/, src);
      assert.equal(visibleText(html), src, src);
    }
  });

  test('image syntax stays plain text (no <img>), only its https URL is clickable', () => {
    const src = '![cat](https://example.com/cat.png)';
    const html = renderCommentBody(src);
    assert.doesNotMatch(html, /<img/);
    assert.equal(visibleText(html), src);
    assert.deepEqual(hrefs(html), ['https://example.com/cat.png']);
    assert.equal(visibleText(renderCommentBody('![x](javascript:alert(1))')), '![x](javascript:alert(1))');
  });

  test('code fences and indented code are not code blocks; fence lines are kept', () => {
    const html = renderCommentBody('```js\nconst a = 1;\n```');
    assert.doesNotMatch(html, /<pre|<code/);
    assert.equal(visibleText(html), '```js\nconst a = 1;\n```');
    assert.doesNotMatch(renderCommentBody('    indented'), /<pre|<code/);
  });

  test('reference-style links and definitions stay plain text', () => {
    const src = '[x][ref]\n\n[ref]: /somewhere';
    const html = renderCommentBody(src);
    assert.doesNotMatch(html, /<a\s/);
    assert.equal(visibleText(html), src);
  });

  test('user-typed HTML is shown, escaped, exactly as typed', () => {
    assert.equal(renderCommentBody('<b>hi</b>'), '<p>&lt;b&gt;hi&lt;/b&gt;</p>');
    assert.equal(visibleText(renderCommentBody('<b>hi</b>')), '<b>hi</b>');
    const script = '<script>alert("x")</script>';
    assert.equal(visibleText(renderCommentBody(script)), script);
  });

  test('HTML entities are shown as typed (not interpreted)', () => {
    assert.equal(visibleText(renderCommentBody('AT&T &amp; &copy; &#60;')), 'AT&T &amp; &copy; &#60;');
  });

  test('backslash escapes let people type literal markdown characters', () => {
    assert.equal(renderCommentBody('\\*not italic\\*'), '<p>*not italic*</p>');
  });

  test('empty / whitespace-only / control-only input renders nothing', () => {
    assert.equal(renderCommentBody(''), '');
    assert.equal(renderCommentBody('   \n\n  '), '');
    assert.equal(renderCommentBody('\u0000\u0007'), '');
  });

  test('control characters are removed', () => {
    assert.equal(renderCommentBody('a\u0000b\u0007c\u001bd\u007fe\u009bf'), '<p>abcdef</p>');
  });

  test('non-ASCII text is kept; IDN hosts are punycoded in the href only', () => {
    assert.equal(renderCommentBody('Grüße 👋 日本語'), '<p>Grüße 👋 日本語</p>');
    const html = renderCommentBody('https://bücher.example/');
    assert.deepEqual(hrefs(html), ['https://xn--bcher-kva.example/']);
    assert.match(html, />https:\/\/bücher\.example\/</);
  });

  test('output only ever contains the allowlisted tags', () => {
    assertOnlyAllowedTags(
      renderCommentBody('> **a** *b* `c` [d](https://e.example) https://f.example\n\nline\nbreak <i>x</i>'),
    );
  });

  // Their speed is measured by `npm run bench`; here: they render to visible text and never throw.
  test('pathological 10,000-character inputs still render as text', () => {
    const n = 10_000;
    const inputs = [
      '['.repeat(n),
      '!['.repeat(n / 2),
      '*a'.repeat(n / 2),
      '_a'.repeat(n / 2),
      '`'.repeat(n),
      '> '.repeat(n / 2) + 'x',
      'https://' + 'a'.repeat(n - 8),
      'www.a.co '.repeat(Math.floor(n / 9)),
      '[a'.repeat(n / 4) + '](https://x.co)'.repeat(10),
      '<'.repeat(n),
      '\\'.repeat(n),
    ];
    for (const input of inputs) {
      const html = renderCommentBody(input);
      assert.match(html, /^<(p|blockquote)>/, `${JSON.stringify(input.slice(0, 12))}... did not render`);
      assert.ok(!/<(script|img|iframe)/i.test(html));
    }
  });
});

describe('renderCommentBody: XSS corpus', () => {
  test('corpus has at least 100 distinct payloads', () => {
    assert.ok(XSS_PAYLOADS.length >= 100, `only ${XSS_PAYLOADS.length} payloads`);
    assert.equal(new Set(XSS_PAYLOADS).size, XSS_PAYLOADS.length, 'duplicate payloads');
  });

  XSS_PAYLOADS.forEach((payload, i) => {
    // U+2028/U+2029 escaped: a raw line separator in a test name splits the TAP line that
    // the mutation-testing runner parses.
    const label = JSON.stringify(payload).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    test(`payload #${i}: ${label.slice(0, 70)}`, () => {
      const html = renderCommentBody(payload);

      for (const tag of ['script', 'iframe', 'svg', 'img', 'style', 'object', 'embed']) {
        assert.doesNotMatch(html, new RegExp(`<${tag}`, 'i'), `<${tag} in ${html}`);
      }

      for (const [tag] of html.matchAll(/<[^>]*>/g)) {
        // Attribute names only: blank out double-quoted values first (a URL
        // may legitimately contain text like 'onmouseover=').
        const names = tag.replace(/"[^"]*"/g, '""');
        assert.doesNotMatch(names, /[\s/'"]on[a-z]*\s*=/i, `event-handler attribute in ${tag}`);
      }

      for (const href of hrefs(html)) {
        assert.match(href, /^(?:https?:|mailto:)/i, `bad href ${href}`);
        const scheme = href.replace(/[\s\u0000-\u001f]/g, '').split(':')[0]?.toLowerCase();
        assert.ok(scheme === 'http' || scheme === 'https' || scheme === 'mailto', `bad scheme in ${href}`);
        assert.doesNotMatch(href, /^\s*(?:javascript|data|vbscript):/i);
      }

      assertOnlyAllowedTags(html);
      assert.ok(countLinks(html) === hrefs(html).length, 'every <a> has an href');

      assert.equal(sanitizeHtml(html, COMMENT_SANITIZE_OPTIONS), html, 're-sanitizing changed the output');
    });
  });
});

describe('countLinks', () => {
  test('no links -> 0', () => {
    assert.equal(countLinks(renderCommentBody('just text, example.com, me@example.com')), 0);
    assert.equal(countLinks(''), 0);
  });

  test('counts markdown links and bare links', () => {
    const html = renderCommentBody(
      '[one](https://a.example) and https://b.example\n\n> www.c.example and mailto:d@example.com',
    );
    assert.equal(countLinks(html), 4);
  });

  test('links that were refused are not counted', () => {
    assert.equal(countLinks(renderCommentBody('[x](javascript:alert(1)) <a href=x>y</a>')), 0);
  });

  test('typed "<a " text is escaped and not counted', () => {
    assert.equal(countLinks(renderCommentBody('I typed <a and <a > literally')), 0);
  });
});

describe('renderCommentBodyAsText', () => {
  test('returns the comment as typed (markdown and HTML are NOT rendered or escaped)', () => {
    const src = '**bold** <b>hi</b> [x](https://example.com) & more';
    assert.equal(renderCommentBodyAsText(src), src);
  });

  test('keeps newlines and tabs', () => {
    assert.equal(renderCommentBodyAsText('a\n\nb\tc'), 'a\n\nb\tc');
  });

  test('normalises CRLF and lone CR to \\n', () => {
    assert.equal(renderCommentBodyAsText('a\r\nb\rc'), 'a\nb\nc');
  });

  test('removes other control characters (NUL, BEL, ESC, DEL, C1)', () => {
    assert.equal(renderCommentBodyAsText('a\u0000b\u0007c\u001b[31md\u007fe\u0085f\u009bg'), 'abc[31mdefg');
  });

  test('keeps non-ASCII text', () => {
    assert.equal(renderCommentBodyAsText('Grüße 👋 日本語'), 'Grüße 👋 日本語');
  });
});

describe('renderCommentExcerpt', () => {
  test('shows a comment as the reader saw it, as one line of text, cut with an ellipsis', () => {
    const html = renderCommentBody('**Bold** and [a link](https://example.com) & <b>tags</b>\n\nSecond paragraph');
    assert.equal(renderCommentExcerpt(html), 'Bold and a link & <b>tags</b> Second paragraph');
    assert.equal(renderCommentExcerpt(renderCommentBody('x'.repeat(300)), 10), `${'x'.repeat(10)}…`);
  });
});
