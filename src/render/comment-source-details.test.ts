// More imported-comment shapes than comment-source.test.ts: every tag the converter knows,
// whitespace and line-break rules, nesting the renderer cannot write, and deep quotes. Kept in
// a file of its own so `npm run test:mutation -- --incremental` keeps the other file's results.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCommentBody } from './comment-body.ts';
import { commentSourceFromHtml } from './comment-source.ts';

const REL = 'rel="nofollow ugc noopener"';
/** What a reader sees after import: the rendered source, without the newlines between blocks. */
const shown = (html: string, reading: 'wordpress' | 'html' = 'wordpress'): string =>
  renderCommentBody(commentSourceFromHtml(html, reading).source).replace(/\n/g, '');

const CASES: [string, string, string][] = [
  ['citations, definitions and variables are italic; keys, samples and teletype are code', '<cite>Book</cite>, <dfn>term</dfn>, <var>x</var>; <kbd>Ctrl</kbd> <samp>out</samp> <tt>tt</tt>', '<p><em>Book</em>, <em>term</em>, <em>x</em>; <code>Ctrl</code> <code>out</code> <code>tt</code></p>'],
  ['block elements and rules start new paragraphs', 'a<div>b</div>c<hr>d<ul><li>e</li><li>f</li></ul>g<h2>h</h2>i<pre>j</pre>k<table><tr><td>l</td><td>m</td></tr></table>', '<p>a</p><p>b</p><p>c</p><p>d</p><p>e</p><p>f</p><p>g</p><p>h</p><p>i</p><p>j</p><p>k</p><p>l</p><p>m</p>'],
  ['form fields, embeds, SVG and MathML lose their content', 'a<textarea>t</textarea><option>o</option><noscript>n</noscript><template>x</template><title>y</title><iframe>i</iframe><object>o</object><svg><text>s</text></svg><math><mi>m</mi></math>b', '<p>ab</p>'],
  ['a stray closing script tag hides nothing after it', 'a</script>b <i>c</i>', '<p>ab <em>c</em></p>'],
  ['links without an address keep their text; a padded address is trimmed and encoded', '<a name="top">anchor</a> <a href="">empty</a> <a href=" https://x.example/a b ">spaced</a>', `<p>anchor empty <a href="https://x.example/a%20b" ${REL}>spaced</a></p>`],
  ['a mailto link stays a link', 'a <a href="mailto:me@example.com">mail me</a>', `<p>a <a href="mailto:me@example.com" ${REL}>mail me</a></p>`],
  ['bold inside bold is one bold run', '<b>a <b>b</b> c</b>', '<p><strong>a b c</strong></p>'],
  ['nothing is formatted inside code', '<code>a <b>b</b> c</code>', '<p><code>a b c</code></p>'],
  ['a link inside a link keeps the outer one', '<a href="https://x.example">a <a href="https://y.example">b</a> c</a>', `<p><a href="https://x.example" ${REL}>a b c</a></p>`],
  ['closing tags that were never opened are ignored', 'a</b> b</a> c</code>', '<p>a b c</p>'],
  ['a line holding only spaces separates paragraphs; several blank lines are one break', 'a\n  \nb\nc\n\n\n\nd', '<p>a</p><p>b<br />c</p><p>d</p>'],
  ['runs of spaces and tabs show as one space', 'a    b \t c', '<p>a b c</p>'],
  ['URLs in code and in a link text are not linked again', '<code>https://x.example/</code> <a href="https://y.example">https://z.example</a>', `<p><code>https://x.example/</code> <a href="https://y.example" ${REL}>https://z.example</a></p>`],
  ['a bare URL inside bold becomes a link inside the bold', '<b>bold https://y.example</b>', `<p><strong>bold <a href="https://y.example" ${REL}>https://y.example</a></strong></p>`],
  ['a line break inside code splits the code around it', '<code>a<br>b</code>', '<p><code>a</code><br /><code>b</code></p>'],
  ['spaces move out of marks at either end; empty marks vanish; touching bold merges; touching links do not', '<b>x </b>y <b></b>z <b>a</b><b>b</b> <i> lead</i> <a href="https://a.example">a</a><a href="https://b.example">b</a>', `<p><strong>x</strong> y z <strong>ab</strong> <em>lead</em> <a href="https://a.example" ${REL}>a</a><a href="https://b.example" ${REL}>b</a></p>`],
  ['spaces beside a line break do not show', 'a <br> b', '<p>a<br />b</p>'],
  ['line breaks at the start or end of a paragraph do not show', '<br>a<br>', '<p>a</p>'],
  ['two breaks inside bold split the paragraph and keep both halves bold', '<b>a<br><br>b</b>', '<p><strong>a</strong></p><p><strong>b</strong></p>'],
  ['code Markdown cannot write stays text; code with an edge backtick or spaces is written so it survives', '<code></code>x <code>a``b</code> <code>`a</code> <code> a </code> <code>   </code>', '<p>x a``b <code>`a</code> <code>a</code></p>'],
  ['quotes deeper than the renderer nests are flattened into the deepest level, nothing lost', '<blockquote>1<blockquote>2<blockquote>3<blockquote>4<blockquote>5<blockquote>6<blockquote>7<blockquote>8<blockquote>9<blockquote>10</blockquote>after9</blockquote></blockquote></blockquote></blockquote></blockquote></blockquote></blockquote></blockquote></blockquote>end', '<blockquote><p>1</p><blockquote><p>2</p><blockquote><p>3</p><blockquote><p>4</p><blockquote><p>5</p><blockquote><p>6</p><blockquote><p>7</p><blockquote><p>8</p><p>9</p><p>10</p><p>after9</p></blockquote></blockquote></blockquote></blockquote></blockquote></blockquote></blockquote></blockquote><p>end</p>'],
  ['an empty or unopened quote leaves nothing behind', '<blockquote></blockquote></blockquote>a', '<p>a</p>'],
  ['a typed > at the start of any line stays text', '&gt; x\n&gt;y', '<p>&gt; x<br />&gt;y</p>'],
];

describe('commentSourceFromHtml: more WordPress comment shapes', () => {
  for (const [what, html, expected] of CASES) {
    test(what, () => {
      assert.equal(shown(html), expected);
    });
  }

  test('each of these is stable: render, convert back, and the same source comes out', () => {
    for (const [what, html] of CASES) {
      const { source } = commentSourceFromHtml(html);
      assert.equal(commentSourceFromHtml(renderCommentBody(source), 'html').source, source, what);
    }
  });

  test('read as ordinary HTML, newlines are spaces, not breaks or paragraphs', () => {
    assert.equal(shown('a\nb\n\nc', 'html'), '<p>a b c</p>');
    assert.equal(shown('<p>a\nb</p>', 'html'), '<p>a b</p>');
    assert.equal(shown('a\nb'), '<p>a<br />b</p>');
  });

  test('formatting that cannot be written inside a quote is dropped there, the text kept, and it says so', () => {
    const result = commentSourceFromHtml('<blockquote><strong>"q"</strong>x</blockquote>');
    assert.deepEqual(result, { source: '> "q"x', html: renderCommentBody('> "q"x'), formattingDropped: true });
  });

  test('the returned HTML is the rendering of the returned source', () => {
    for (const [what, html] of CASES) {
      const result = commentSourceFromHtml(html);
      assert.equal(result.html, renderCommentBody(result.source), what);
      assert.equal(result.formattingDropped, false, what);
    }
  });
});
