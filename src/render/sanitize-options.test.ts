// The sanitiser on its own: hostile HTML straight into sanitize-html with the one allowlist
// (COMMENT_SANITIZE_OPTIONS). markdown-it escapes typed HTML before the sanitiser ever runs, so
// the renderer's own tests cannot notice a weakened allowlist; these can.
// Run: node --import tsx --test src/render/sanitize-options.test.ts
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sanitizeHtml from 'sanitize-html';

import { COMMENT_SANITIZE_OPTIONS } from './comment-body.js';
import { XSS_PAYLOADS } from './xss-payloads.js';

const REL = 'nofollow ugc noopener';
const sanitize = (html: string) => sanitizeHtml(html, COMMENT_SANITIZE_OPTIONS);

/**
 * Every tag left in the output must have exactly a shape we allow: the bare inline/block tags,
 * `<br />`, and `<a>` with an http(s)/mailto href followed by the forced rel and nothing else.
 * Anything else (another tag, any other attribute such as on*=, style=, src=, a user rel, an
 * href with another scheme) fails.
 */
const ALLOWED_TAG_RE = new RegExp(
  '^<(?:/?(?:p|strong|em|code|blockquote|a)|br /|a href="(?:https?://|mailto:)[^"<>\\s]*" rel="' + REL + '")>$',
  'i',
);

function assertSafe(input: string): string {
  const out = sanitize(input);
  for (const [tag] of out.matchAll(/<[^>]*>?/g)) {
    assert.match(tag, ALLOWED_TAG_RE, `unexpected tag ${tag} from ${JSON.stringify(input)}`);
  }
  // Text between tags is escaped: no < or > that a browser could read as markup.
  assert.doesNotMatch(out.replace(/<[^>]*>/g, ''), /[<>]/, `stray markup in ${out}`);
  return out;
}

/** Raw HTML a hostile WordPress export, a future renderer bug or a stored-row edit could hand the sanitiser. */
const HOSTILE_HTML: string[] = [
  // Event handlers on tags we allow, in every casing and quoting.
  '<p onclick="alert(1)">hi</p>',
  '<P ONMOUSEOVER=alert(1)>hi</P>',
  "<strong onfocus='alert(1)' tabindex=0>x</strong>",
  '<em/onpointerenter=alert(1)>x</em>',
  '<blockquote onanimationstart=alert(1)>q</blockquote>',
  '<code onerror=alert(1)>c</code>',
  '<br onload=alert(1)>',
  '<a href="https://example.com" onclick="alert(1)">x</a>',
  '<a href="https://example.com" onmouseover=alert(1) target=_blank rel=opener>x</a>',
  // style, class, id, and other attributes with nothing to do here.
  '<p style="background:url(javascript:alert(1))">x</p>',
  '<p style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</p>',
  '<a href="https://example.com" style="display:block">x</a>',
  '<p class="admin-only" id="respond" title="t" data-x="1" dir="rtl" lang="de">x</p>',
  '<a href="https://example.com" id="x" name="y" title="z" download ping="https://evil.example">x</a>',
  '<p hidden contenteditable draggable=true>x</p>',
  // Links with schemes other than http, https and mailto.
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="java&#x09;script:alert(1)">x</a>',
  '<a href="java\nscript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="file:///etc/passwd">x</a>',
  '<a href="//evil.example/">x</a>',
  '<a href="/admin">x</a>',
  '<a href="ftp://example.com/">x</a>',
  '<a href="">x</a>',
  '<a>x</a>',
  // Tags we do not allow, with and without dangerous content.
  '<script>alert(1)</script>',
  '<style>body{display:none}</style>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle r=1 /></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<svg><animate attributeName=href values=javascript:alert(1) /></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="data:text/html,<script>alert(1)</script>"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>x</details>',
  '<video><source onerror=alert(1)></video>',
  '<body onload=alert(1)>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel=stylesheet href="https://evil.example/x.css">',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><img src=x onerror=alert(1)></template>',
  '<textarea><script>alert(1)</script></textarea>',
  '<div><span onclick=alert(1)>nested</span></div>',
  '<h1>heading</h1><ul><li>list</li></ul><table><tr><td>cell</td></tr></table>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<p>unclosed <a href="https://example.com" onclick=alert(1)',
];

describe('COMMENT_SANITIZE_OPTIONS on raw HTML', () => {
  test('allows no attribute except href and rel on links', () => {
    assert.equal(sanitize('<p onclick="alert(1)">hi</p>'), '<p>hi</p>');
    assert.equal(sanitize('<strong onfocus="x" tabindex="0">b</strong>'), '<strong>b</strong>');
    assert.equal(sanitize('<p style="color:red" class="c" id="i">x</p>'), '<p>x</p>');
    assert.equal(sanitize('<br onload=alert(1)>'), '<br />');
  });

  test('a link keeps only an http(s) or mailto href, and its rel is always ours', () => {
    assert.equal(
      sanitize('<a href="https://example.com/a?b=1" onclick="alert(1)" target="_blank" rel="opener" title="t">x</a>'),
      `<a href="https://example.com/a?b=1" rel="${REL}">x</a>`,
    );
    assert.equal(sanitize('<a href="http://example.com">x</a>'), `<a href="http://example.com" rel="${REL}">x</a>`);
    assert.equal(sanitize('<a href="mailto:ops@example.com">mail</a>'), `<a href="mailto:ops@example.com" rel="${REL}">mail</a>`);
    assert.equal(sanitize('<a href="HTTPS://EXAMPLE.COM">x</a>'), `<a href="HTTPS://EXAMPLE.COM" rel="${REL}">x</a>`);
  });

  test('a link with any other href becomes its plain text', () => {
    for (const href of ['javascript:alert(1)', ' javascript:alert(1)', 'data:text/html,x', 'vbscript:x', '//evil.example', '/admin', 'ftp://example.com', '']) {
      assert.equal(sanitize(`<a href="${href}">text</a>`), 'text', href);
    }
    assert.equal(sanitize('<a>text</a>'), 'text');
  });

  test('disallowed tags go; script, style and textarea take their content with them', () => {
    assert.equal(sanitize('<script>alert(1)</script>after'), 'after');
    assert.equal(sanitize('<style>p{display:none}</style>after'), 'after');
    assert.equal(sanitize('<img src=x onerror=alert(1)>'), '');
    assert.equal(sanitize('<svg onload=alert(1)><circle r="1"/></svg>'), '');
    assert.equal(sanitize('<iframe src="https://evil.example"></iframe>'), '');
    assert.equal(sanitize('<div><span onclick=alert(1)>nested</span></div>'), 'nested');
    assert.equal(sanitize('<h1>heading</h1>'), 'heading');
  });

  test('the tags we allow survive, so comments keep their formatting', () => {
    const html = '<p>a<br />b <strong>c</strong> <em>d</em> <code>e</code></p><blockquote><p>q</p></blockquote>';
    assert.equal(sanitize(html), html);
  });

  test('every hostile sample comes out in an allowed shape', () => {
    for (const input of HOSTILE_HTML) assertSafe(input);
  });

  test('every payload of the XSS corpus, fed in as raw HTML, comes out in an allowed shape', () => {
    for (const input of XSS_PAYLOADS) assertSafe(input);
  });
});
