import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCommentBody } from './comment-body.ts';
import { commentSourceFromHtml } from './comment-source.ts';

const REL = 'rel="nofollow ugc noopener"';
/** The rendered HTML without the newlines the renderer puts between blocks. */
const shown = (wordpressHtml: string): string => renderCommentBody(commentSourceFromHtml(wordpressHtml).source).replace(/\n/g, '');

/**
 * WordPress comment text → what WordPress shows (wpautop paragraphs and breaks, its allowed
 * tags, make_clickable links), in the markup this app renders.
 */
const CASES: [string, string, string][] = [
  ['plain text with Markdown-looking characters stays text', 'Use __init__ and *args, not **kwargs', '<p>Use __init__ and *args, not **kwargs</p>'],
  ['backslashes are kept', 'C:\\Users\\me\\*.txt and \\\\server\\share', '<p>C:\\Users\\me\\*.txt and \\\\server\\share</p>'],
  ['a Markdown link is text; the URL in it is linked as WordPress does', '[x](https://example.com/docs)', `<p>[x](<a href="https://example.com/docs" ${REL}>https://example.com/docs</a>)</p>`],
  ['an escaped > opening a line is not a quote', '&gt; not a quote\n&gt; nor this', '<p>&gt; not a quote<br />&gt; nor this</p>'],
  ['backticks are text', 'run `ls` or ```sh', '<p>run `ls` or ```sh</p>'],
  ['entities show as their characters', '5 &lt; 6 &amp;&amp; 7 &gt; 3 &#8211; &quot;q&quot; &eacute;', '<p>5 &lt; 6 &amp;&amp; 7 &gt; 3 – "q" é</p>'],
  ['typed HTML that WordPress escaped stays text', '&lt;script&gt;alert(1)&lt;/script&gt;', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
  ['a blank line is a paragraph, a newline a line break', 'one\ntwo\n\nthree', '<p>one<br />two</p><p>three</p>'],
  ['bold, italic and code', 'Was <strong>TLS</strong> or <b>SRTP</b> <em>really</em> <i>it</i>? See <code>a*b_c</code>.', '<p>Was <strong>TLS</strong> or <strong>SRTP</strong> <em>really</em> <em>it</em>? See <code>a*b_c</code>.</p>'],
  ['code holding backticks', '<code>x = `y`</code>', '<p><code>x = `y`</code></p>'],
  ['links keep their text; only http(s) and mailto targets stay links', '<a href="https://ok.example/?a=1&amp;b=2" title="t">good</a> <a href="javascript:alert(1)">bad</a> <a href="/relative">rel</a>', `<p><a href="https://ok.example/?a=1&amp;b=2" ${REL}>good</a> bad rel</p>`],
  ['link text with brackets and stars', '<a href="https://x.example/a_(b)">see [1] *here*</a>', `<p><a href="https://x.example/a_(b)" ${REL}>see [1] *here*</a></p>`],
  ['bare URLs become links, as make_clickable does', 'see https://example.com/a_b_c and www.example.org.', `<p>see <a href="https://example.com/a_b_c" ${REL}>https://example.com/a_b_c</a> and <a href="https://www.example.org" ${REL}>www.example.org</a>.</p>`],
  ['a quote with two paragraphs, then a reply', '<blockquote>said\nthis\n\nand that</blockquote>\nI disagree', '<blockquote><p>said<br />this</p><p>and that</p></blockquote><p>I disagree</p>'],
  ['nested quotes', '<blockquote><blockquote>inner</blockquote>outer</blockquote>', '<blockquote><blockquote><p>inner</p></blockquote><p>outer</p></blockquote>'],
  ['spaces inside bold move outside it', 'a<b> bold </b>word', '<p>a <strong>bold</strong> word</p>'],
  ['explicit paragraphs and breaks', '<p>para</p><p>two<br />lines</p>', '<p>para</p><p>two<br />lines</p>'],
  ['two breaks in a row are a paragraph break', 'line<br />\n<br />next', '<p>line</p><p>next</p>'],
  ['scripts and styles lose their content, other tags keep their text', '<script>alert(1)</script><style>p{}</style><span>kept</span> <del>struck</del> <q>quoted</q>', '<p>kept struck “quoted”</p>'],
  ['Windows line ends and stray control characters', 'a\r\nb\r\n\r\nc\u0007d', '<p>a<br />b</p><p>cd</p>'],
  ['a line starting with a hash, dash or number is text', '# not a heading\n- not a list\n1. not a list', '<p># not a heading<br />- not a list<br />1. not a list</p>'],
  ['exclamation and brackets', '![alt](https://example.com/i.png) and ![x]', `<p>![alt](<a href="https://example.com/i.png" ${REL}>https://example.com/i.png</a>) and ![x]</p>`],
];

describe('commentSourceFromHtml (WordPress comment text)', () => {
  for (const [what, html, expected] of CASES) {
    test(what, () => {
      assert.equal(shown(html), expected);
    });
  }

  test('the source is stable: render it and convert the result back, and the same source comes out', () => {
    for (const [what, html] of CASES) {
      const { source } = commentSourceFromHtml(html);
      assert.equal(commentSourceFromHtml(renderCommentBody(source), 'html').source, source, what);
    }
  });

  test('the stored source reads as typed where it can: escapes only where Markdown would act', () => {
    assert.equal(commentSourceFromHtml('Was <strong>TLS</strong> affected?').source, 'Was **TLS** affected?');
    assert.equal(commentSourceFromHtml('__init__').source, '\\_\\_init\\_\\_');
    assert.equal(commentSourceFromHtml('&gt; quote-like\na -&gt; b').source, '\\> quote-like\na -> b');
    assert.equal(commentSourceFromHtml('Amp &amp; Sand').source, 'Amp & Sand');
  });

  test('bold that Markdown cannot write around punctuation is dropped, the text kept exact, and it says so', () => {
    const result = commentSourceFromHtml('<strong>"quoted"</strong>word\n\nand <em>this</em> stays');
    assert.equal(result.formattingDropped, true);
    assert.equal(renderCommentBody(result.source).replace(/\n/g, ''), '<p>"quoted"word</p><p>and <em>this</em> stays</p>');
    assert.equal(commentSourceFromHtml('plain <em>fine</em>').formattingDropped, false);
  });

  test('empty or markup-only text gives an empty source', () => {
    assert.equal(commentSourceFromHtml('  <p> </p><br /> ').source, '');
    assert.equal(commentSourceFromHtml('<script>x</script>').source, '');
  });
});
