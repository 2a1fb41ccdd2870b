/**
 * Comment body rendering: raw comment text -> safe HTML / plain text.
 *
 * SECURITY CONTRACT: the HTML returned by `renderCommentBody` (rendered once
 * when the comment is saved and stored with it) is the ONLY HTML that may ever
 * be output with `set:html` anywhere in the site. Everything else a visitor
 * typed (name, website, email, raw body, ...) must be output as escaped text.
 *
 * Pipeline:
 *   1. strip control characters (everything in Unicode Cc except \n and \t);
 *   2. markdown-it with a deliberately tiny rule set (see `ENABLED_RULES`),
 *      `html: false` (typed HTML is escaped and shown as text) and a strict
 *      `validateLink` (only http:, https: and mailto: may become links);
 *   3. ALWAYS sanitize-html with one allowlist (`COMMENT_SANITIZE_OPTIONS`),
 *      as a second, independent layer in case step 2 ever lets something by.
 *
 * Supported syntax: paragraphs (blank line), line breaks (a single newline
 * becomes <br>), `> blockquote`, `**bold**` / `__bold__`, `*italic*` /
 * `_italic_`, `` `inline code` ``, backslash escapes, `[text](https://...)`
 * links and bare links.
 *
 * Bare links: only text starting with `http://`, `https://`, `mailto:` or
 * `www.` is linked (`www.` links point to https://). Bare domains such as
 * `example.com` or `setup.py` and bare e-mail addresses are NOT linked: with
 * a technical audience, file names that happen to end in a country TLD
 * (`.py`, `.md`, `.rs`, ...) turning into links would be more surprising than
 * having to type the scheme, and every link counts against the
 * "hold comments with many links" rule.
 *
 * Everything else (headings, lists, tables, images, code fences, indented
 * code, horizontal rules, raw HTML, reference-style links/definitions,
 * `<autolinks>`, strikethrough, HTML entities, typographic replacements) is
 * left exactly as typed and shown as plain text.
 */
import { decodeHTML } from 'entities';
import markdownIt from 'markdown-it';
import type { MarkdownIt, StateInline } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/** rel added to every link in a comment: no SEO credit, marks user content. */
const LINK_REL = 'nofollow ugc noopener';

/**
 * Unicode "Cc" control characters except TAB (\u0009) and LF (\u000A).
 * CR is handled separately (normalised to LF) so that it does not merge lines.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS_RE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Normalises CRLF / CR to LF and removes the remaining control characters. */
function stripControlChars(source: string): string {
  return source.replace(/\r\n?/g, '\n').replace(CONTROL_CHARS_RE, '');
}

/**
 * The one href check shared by markdown-it (`validateLink`) and the
 * sanitizer's `a` transform. `href` is the already normalised
 * (percent-encoded) URL, so it must not contain any whitespace or control
 * character; anything that is not plainly http(s)://... or mailto:... (e.g.
 * relative, protocol-relative, javascript:, data:, vbscript:, file:, or a
 * scheme split by tabs/newlines/entities) is refused.
 */
function isAllowedHref(href: string): boolean {
  return /^(?:https?:\/\/[^\s\u0000-\u001F\u007F-\u009F]+|mailto:[^\s\u0000-\u001F\u007F-\u009F]+)$/i.test(href);
}

/**
 * markdown-it rules switched on on top of the "zero" preset (which only has
 * paragraphs, plain text and the core plumbing: normalize, block, inline,
 * strip_references, text_join, balance_pairs, fragments_join).
 * `linkify` and `emphasis` each name two rules (core+inline, inline+inline2);
 * `md.enable` switches both.
 */
export const ENABLED_RULES: readonly string[] = Object.freeze([
  'blockquote', // block: > quote
  'newline', // inline: \n -> softbreak (rendered as <br> because breaks: true)
  'escape', // inline: \* \_ \` \[ ... so users can type literal markup
  'backticks', // inline: `code`
  'emphasis', // inline + inline2: *em* _em_ **strong** __strong__
  'link', // inline: [text](url) (reference links need definitions, which are off)
  'linkify', // core + inline: bare http(s)://, mailto:, www. URLs
]);

/**
 * `![alt](src)` must stay plain text, not become "!" followed by a link.
 * The image rule is off, so consume "![" + the label + "]" verbatim (bracket
 * nesting is honoured via parseLinkLabel). A following "(url)" then goes
 * through normal text handling, i.e. a bare https URL in it is still linked.
 */
function imageAsText(state: StateInline, silent: boolean): boolean {
  const pos = state.pos;
  if (state.src.charCodeAt(pos) !== 0x21 /* ! */ || state.src.charCodeAt(pos + 1) !== 0x5b /* [ */) {
    return false;
  }
  const labelEnd = state.md.helpers.parseLinkLabel(state, pos + 1, false);
  if (labelEnd < 0) return false;
  const end = labelEnd + 1; // include the closing ]
  if (!silent) state.pending += state.src.slice(pos, end);
  state.pos = end;
  return true;
}

/**
 * Runs of three or more backticks are code *fences*, which are off; without
 * this rule the inline `backticks` rule would still turn a fenced block into
 * a single-line <code> span. Keep such runs as literal text instead, so a
 * pasted ``` block shows as typed (with its line breaks). `` `` `` (two
 * backticks, for code containing a backtick) still works.
 */
function longBacktickRunAsText(state: StateInline, silent: boolean): boolean {
  const start = state.pos;
  if (state.src.charCodeAt(start) !== 0x60 /* ` */) return false;
  let end = start;
  while (end < state.posMax && state.src.charCodeAt(end) === 0x60) end++;
  if (end - start < 3) return false;
  if (!silent) state.pending += state.src.slice(start, end);
  state.pos = end;
  return true;
}

/**
 * Quotes nested deeper than this stay as literal "> " text. Without the cap,
 * markdown-it silently DROPS everything below its maxNesting (20 in the
 * "zero" preset), which would lose what the commenter typed.
 */
const MAX_QUOTE_DEPTH = 8;

function limitBlockquoteDepth(md: MarkdownIt): void {
  // `__rules__` is marked internal but typed; there is no other way to wrap
  // (rather than re-implement) a built-in rule.
  const original = md.block.ruler.__rules__.find((rule) => rule.name === 'blockquote');
  if (!original) throw new Error('markdown-it: blockquote rule not found');
  const blockquote = original.fn;
  md.block.ruler.at(
    'blockquote',
    (state, startLine, endLine, silent) =>
      state.level < MAX_QUOTE_DEPTH && blockquote(state, startLine, endLine, silent),
    { alt: [...original.alt] },
  );
}

/** Built on first use from linkify-it's own grammar (see the `www.` schema). */
let wwwTailRe: RegExp | undefined;

function createMarkdown(): MarkdownIt {
  const md = new markdownIt('zero', {
    html: false,
    linkify: true,
    breaks: true,
    typographer: false,
    xhtmlOut: false,
  });
  md.enable([...ENABLED_RULES]);
  limitBlockquoteDepth(md);
  md.inline.ruler.before('link', 'image_as_text', imageAsText);
  md.inline.ruler.before('backticks', 'long_backtick_run_as_text', longBacktickRunAsText);

  md.validateLink = isAllowedHref;

  md.linkify
    // Explicit even though it is linkify-it 6's default: no bare domains.
    .set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false })
    .add('ftp:', null)
    .add('//', null)
    .add('www.', {
      // After "www." require host.tld[:port][/path...], same grammar as http://.
      validate(text, pos, self) {
        wwwTailRe ??= new RegExp(
          `(?:(?:${self.re.get_domain().source})\\.){1,10}(?:${self.re.get_domain().source})` +
            self.re.get_port().source +
            self.re.get_host_terminator().source +
            self.re.get_path().source,
          'iy',
        );
        const re = wwwTailRe;
        re.lastIndex = pos;
        const m = re.exec(text);
        return m ? m[0].length : 0;
      },
      normalize(match) {
        match.url = `https://${match.url}`;
      },
    });
  return md;
}

const md = createMarkdown();

/**
 * The single sanitize-html allowlist for comment HTML. Exported so tests (and
 * anyone re-checking stored HTML) use exactly the same options; do not widen
 * it without a security review.
 */
export const COMMENT_SANITIZE_OPTIONS: Readonly<sanitizeHtml.IOptions> = Object.freeze({
  allowedTags: ['p', 'br', 'strong', 'em', 'code', 'blockquote', 'a'],
  // `rel` is listed only so the value forced by transformTags survives.
  allowedAttributes: { a: ['href', 'rel'] },
  allowedClasses: {},
  allowedStyles: {},
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  allowVulnerableTags: false,
  enforceHtmlBoundary: false,
  disallowedTagsMode: 'discard',
  parseStyleAttributes: false,
  transformTags: {
    a(_tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
      const href = attribs.href ?? '';
      if (!isAllowedHref(href)) {
        // Not allowed -> drop the element but keep its text.
        return { tagName: 'span', attribs: {} };
      }
      // Any other attribute (target, title, a user-supplied rel...) is dropped.
      return { tagName: 'a', attribs: { href, rel: LINK_REL } };
    },
  },
});

/**
 * Renders a comment's raw text (already trimmed, at most 10,000 characters —
 * length is enforced by the caller) to the safe HTML that is stored with the
 * comment. Limited markdown only; typed HTML is shown as text. The result is
 * the only HTML allowed to be output with `set:html`.
 */
export function renderCommentBody(source: string): string {
  const cleaned = stripControlChars(source);
  if (cleaned.trim() === '') return '';
  const html = md.render(cleaned);
  return sanitizeHtml(html, COMMENT_SANITIZE_OPTIONS).trim();
}

/**
 * Counts links (`<a ` elements) in HTML produced by `renderCommentBody`, for
 * the "hold comments with more than N links" moderation rule. Only meaningful
 * for our own rendered HTML (where user text is always escaped).
 */
export function countLinks(html: string): number {
  return html.match(/<a\s/gi)?.length ?? 0;
}

/**
 * Plain-text version of a comment for e-mail notifications: the source as
 * typed, with CRLF/CR normalised to LF and every other control character
 * except newline and tab removed. Markdown is left as typed; never HTML.
 */
export function renderCommentBodyAsText(source: string): string {
  return stripControlChars(source);
}

/**
 * Where the renderer would turn bare text into links (http(s)://, mailto:, www.), with the href
 * it would use. Lets the importer (src/render/comment-source.ts) treat such text as the link
 * WordPress showed, instead of leaving it to chance.
 */
export function findBareLinks(text: string): { index: number; lastIndex: number; text: string; href: string }[] {
  return (md.linkify.match(text) ?? [])
    .map((m) => ({ index: m.index, lastIndex: m.lastIndex, text: m.raw, href: md.normalizeLink(m.url) }))
    .filter((m) => isAllowedHref(m.href));
}

/**
 * The href a comment link gets (percent-encoded as the renderer writes it), or null when the
 * renderer would refuse it (anything but plain http(s):// and mailto:).
 */
export function commentLinkHref(url: string): string | null {
  const href = md.normalizeLink(url.trim());
  return isAllowedHref(href) ? href : null;
}

/**
 * A comment as one line of plain text (for "in reply to" quotes in the admin): the rendered,
 * sanitised HTML with its tags dropped and entities decoded, so Markdown shows as the reader saw
 * it (no `**`, no `[text](url)`), cut at `maxChars`. Plain text: the caller escapes it.
 */
export function renderCommentExcerpt(html: string, maxChars = 280): string {
  const spaced = html.replace(/<\/(?:p|blockquote|li|pre)>|<br\s*\/?>/gi, ' ');
  const text = decodeHTML(sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {} })).replace(/\s+/g, ' ').trim();
  return text.length > maxChars ? `${text.slice(0, maxChars).trimEnd()}…` : text;
}
