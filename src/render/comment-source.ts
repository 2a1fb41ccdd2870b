/**
 * Comment HTML from elsewhere → the comment source this app stores, written so that
 * `renderCommentBody(source)` shows the same text with the same small markup.
 *
 * Two readings of the HTML:
 * - `wordpress`: comment text as WordPress stores it: plain text with a little HTML, where a
 *   blank line starts a paragraph and a single newline is a line break (WordPress's wpautop),
 *   and bare URLs show as links (make_clickable).
 * - `html`: ordinary HTML (newlines are spaces), e.g. this app's own rendering; used to prove
 *   that a converted comment is stable (source → render → source gives the same source).
 *
 * Plain text is never read as Markdown: every character the renderer would treat as markup
 * (`\ * _ ` [ ]`, and `>` at the start of a line) is backslash-escaped, so `__init__`,
 * `C:\Users\me\*.txt`, `[x](https://…)` and a line starting with `>` show exactly as typed.
 * Kept markup: paragraphs, line breaks, blockquotes, bold (strong, b), italic (em, i, cite),
 * code, and links with http(s):// or mailto: targets (others keep their text only). Other
 * tags keep their text; script and style lose their content, as with the sanitiser.
 * Not reproduced: WordPress's typographic quotes (wptexturize) and smiley images.
 *
 * Every conversion is checked by rendering the source and comparing it with the HTML the
 * parsed comment stands for; should bold, italic or code not survive that check (unusual
 * nesting), the comment is written again without them, so its text is always exact.
 */
import { Parser } from 'htmlparser2';
import sanitizeHtml from 'sanitize-html';
import { COMMENT_SANITIZE_OPTIONS, commentLinkHref, findBareLinks, renderCommentBody } from './comment-body';

type Mark = 'strong' | 'em' | 'code' | 'link';
type Token = { t: 'text'; text: string } | { t: 'br' } | { t: 'open'; mark: Mark; href?: string } | { t: 'close'; mark: Mark };
interface Paragraph {
  t: 'p';
  tokens: Token[];
  /** Written without bold, italic and code (set when Markdown could not write them faithfully). */
  plain?: boolean;
}
interface Quote {
  t: 'quote';
  blocks: Block[];
}
type Block = Paragraph | Quote;

/** The renderer's own cap (deeper quotes stay literal text there); deeper ones are flattened here. */
const MAX_QUOTE_DEPTH = 8;

const INLINE_MARKS: Record<string, Mark> = {
  strong: 'strong',
  b: 'strong',
  em: 'em',
  i: 'em',
  cite: 'em',
  dfn: 'em',
  var: 'em',
  code: 'code',
  kbd: 'code',
  samp: 'code',
  tt: 'code',
  a: 'link',
};
const BLOCK_TAGS = new Set([
  'p', 'div', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'table', 'thead', 'tbody', 'tr', 'td', 'th',
  'section', 'article', 'aside', 'header', 'footer', 'figure', 'figcaption', 'address', 'center', 'hr', 'details', 'summary',
]);
/** Elements whose content is not text a reader saw (the sanitiser drops it too). */
const DROPPED_TAGS = new Set(['script', 'style', 'textarea', 'option', 'noscript', 'template', 'title', 'head', 'iframe', 'object', 'svg', 'math']);

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

interface OpenElement {
  tag: string;
  mark: Mark | null;
  href?: string;
  /** False for markup the renderer cannot nest (bold in bold, anything in code, a link in a link). */
  active: boolean;
}

/** Turns parser events into blocks of flat inline tokens (marks opened and closed per paragraph). */
class TreeBuilder {
  readonly root: Block[] = [];
  private readonly contexts: (Block[] | null)[] = [this.root];
  private paragraph: Paragraph | null = null;
  private readonly open: OpenElement[] = [];
  private dropped = 0;

  constructor(private readonly wordpress: boolean) {}

  private blocks(): Block[] {
    for (let i = this.contexts.length - 1; i >= 0; i--) {
      const context = this.contexts[i];
      if (context) return context;
    }
    return this.root;
  }

  private activeMarks(): OpenElement[] {
    return this.open.filter((e) => e.active);
  }

  private ensureParagraph(): Paragraph {
    if (!this.paragraph) {
      this.paragraph = { t: 'p', tokens: this.activeMarks().map((e) => ({ t: 'open', mark: e.mark!, href: e.href })) };
      this.blocks().push(this.paragraph);
    }
    return this.paragraph;
  }

  endParagraph(): void {
    if (!this.paragraph) return;
    for (const e of this.activeMarks().reverse()) this.paragraph.tokens.push({ t: 'close', mark: e.mark! });
    this.paragraph = null;
  }

  private addText(text: string): void {
    if (!this.paragraph && !/\S/.test(text)) return;
    this.ensureParagraph().tokens.push({ t: 'text', text });
  }

  private lineBreak(): void {
    if (this.paragraph) this.paragraph.tokens.push({ t: 'br' });
  }

  text(raw: string): void {
    if (this.dropped) return;
    const text = raw.replace(/\r\n?/g, '\n');
    if (!this.wordpress) return this.addText(text);
    // wpautop: a blank line separates paragraphs, a single newline is a line break.
    text.split(/\n[^\S\n]*\n\s*/).forEach((part, i) => {
      if (i > 0) this.endParagraph();
      part.split('\n').forEach((line, j) => {
        if (j > 0) this.lineBreak();
        if (line) this.addText(line);
      });
    });
  }

  openTag(tag: string, attributes: Record<string, string>): void {
    if (DROPPED_TAGS.has(tag)) this.dropped++;
    if (this.dropped) return;
    if (tag === 'br') return this.lineBreak();
    if (tag === 'blockquote') {
      this.endParagraph();
      if (this.contexts.length - 1 < MAX_QUOTE_DEPTH) {
        const quote: Quote = { t: 'quote', blocks: [] };
        this.blocks().push(quote);
        this.contexts.push(quote.blocks);
      } else this.contexts.push(null);
      return;
    }
    if (BLOCK_TAGS.has(tag)) return this.endParagraph();
    if (tag === 'q') return this.addText('“');
    const mark = INLINE_MARKS[tag];
    if (!mark) return;
    const href = mark === 'link' ? commentLinkHref(attributes.href ?? '') ?? undefined : undefined;
    const active = this.activeMarks();
    const canNest = !active.some((e) => e.mark === mark || e.mark === 'code') && (mark !== 'link' || href !== undefined);
    const element: OpenElement = { tag, mark, href, active: canNest };
    this.open.push(element);
    if (canNest && this.paragraph) this.paragraph.tokens.push({ t: 'open', mark, href });
  }

  closeTag(tag: string): void {
    if (DROPPED_TAGS.has(tag)) {
      this.dropped = Math.max(0, this.dropped - 1);
      return;
    }
    if (this.dropped) return;
    if (tag === 'blockquote') {
      this.endParagraph();
      if (this.contexts.length > 1) this.contexts.pop();
      return;
    }
    if (BLOCK_TAGS.has(tag)) return this.endParagraph();
    if (tag === 'q') return this.addText('”');
    if (!INLINE_MARKS[tag]) return;
    const index = this.open.map((e) => e.tag).lastIndexOf(tag);
    if (index < 0) return;
    const [element] = this.open.splice(index, 1);
    if (element.active && this.paragraph) this.paragraph.tokens.push({ t: 'close', mark: element.mark! });
  }
}

// --- normalising a paragraph: one canonical token list for everything that displays the same ---

const isText = (t: Token | undefined): t is { t: 'text'; text: string } => t?.t === 'text';

function mergeTexts(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    const last = out.at(-1);
    if (isText(token) && isText(last)) last.text = (last.text + token.text).replace(/ {2,}/g, ' ');
    else out.push(isText(token) ? { ...token } : token);
  }
  return out.filter((t) => !isText(t) || t.text !== '');
}

/** Bare URLs outside links and code become the links WordPress (and the renderer) show. */
function linkBareUrls(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let inside = 0;
  for (const token of tokens) {
    if (token.t === 'open' && (token.mark === 'link' || token.mark === 'code')) inside++;
    if (token.t === 'close' && (token.mark === 'link' || token.mark === 'code')) inside--;
    if (!isText(token) || inside > 0) {
      out.push(token);
      continue;
    }
    let at = 0;
    for (const link of findBareLinks(token.text)) {
      if (link.index > at) out.push({ t: 'text', text: token.text.slice(at, link.index) });
      out.push({ t: 'open', mark: 'link', href: link.href }, { t: 'text', text: link.text }, { t: 'close', mark: 'link' });
      at = link.lastIndex;
    }
    if (at < token.text.length) out.push({ t: 'text', text: token.text.slice(at) });
  }
  return out;
}

/** A code span cannot hold a line break: close it before the break and open it again after. */
function splitCodeAtBreaks(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let code = false;
  for (const token of tokens) {
    if (token.t === 'open' && token.mark === 'code') code = true;
    if (token.t === 'close' && token.mark === 'code') code = false;
    if (token.t === 'br' && code) out.push({ t: 'close', mark: 'code' }, token, { t: 'open', mark: 'code' });
    else out.push(token);
  }
  return out;
}

/** One pass of the whitespace and empty-markup rules; returns whether anything changed. */
function tidyOnce(tokens: Token[]): boolean {
  let changed = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const next = tokens[i + 1];
    // Spaces move out of marks (`<b> x </b>` → ` **x** `): emphasis cannot start or end with one.
    if (token.t === 'open' && isText(next) && next.text.startsWith(' ')) {
      next.text = next.text.slice(1);
      tokens.splice(i, 0, { t: 'text', text: ' ' });
      changed = true;
    } else if (isText(token) && token.text.endsWith(' ') && next?.t === 'close') {
      token.text = token.text.slice(0, -1);
      tokens.splice(i + 2, 0, { t: 'text', text: ' ' });
      changed = true;
    } else if (token.t === 'open' && next?.t === 'close' && next.mark === token.mark) {
      tokens.splice(i, 2);
      changed = true;
    } else if (token.t === 'close' && next?.t === 'open' && next.mark === token.mark && next.href === (tokens.slice(0, i).reverse().find((t) => t.t === 'open' && t.mark === token.mark) as { href?: string } | undefined)?.href) {
      // `<b>a</b><b>b</b>` is one bold run.
      tokens.splice(i, 2);
      changed = true;
    } else if (isText(token) && token.text === '') {
      tokens.splice(i, 1);
      changed = true;
    } else if (isText(token) && isText(next)) {
      token.text = (token.text + next.text).replace(/ {2,}/g, ' ');
      tokens.splice(i + 1, 1);
      changed = true;
    }
  }
  // Spaces beside a line break or the paragraph's edges do not show.
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!isText(token)) continue;
    const before = tokens.slice(0, i).filter((t) => t.t !== 'open' && t.t !== 'close').at(-1);
    const after = tokens.slice(i + 1).filter((t) => t.t !== 'open' && t.t !== 'close')[0];
    const trimmed = (before ? (before.t === 'br' ? token.text.replace(/^[ \t]+/, '') : token.text) : token.text.replace(/^\s+/, ''));
    const both = after ? (after.t === 'br' ? trimmed.replace(/[ \t]+$/, '') : trimmed) : trimmed.replace(/\s+$/, '');
    if (both !== token.text) {
      token.text = both;
      changed = true;
    }
  }
  // A line break at the paragraph's start or end shows nothing.
  const content = tokens.filter((t) => t.t !== 'open' && t.t !== 'close');
  for (const edge of [content[0], content.at(-1)]) {
    if (edge?.t === 'br') {
      tokens.splice(tokens.indexOf(edge), 1);
      changed = true;
    }
  }
  return changed;
}

/** Two or more line breaks in a row read as a paragraph break (Markdown can only write that). */
function splitAtDoubleBreaks(tokens: Token[]): Token[][] {
  const content = tokens.flatMap((t, i) => (t.t === 'open' || t.t === 'close' ? [] : [i]));
  const breaks = new Set(content.filter((index, n) => tokens[index].t === 'br' && (tokens[content[n + 1]]?.t === 'br' || tokens[content[n - 1]]?.t === 'br')));
  const paragraphs: Token[][] = [];
  let current: Token[] = [];
  const open: { t: 'open'; mark: Mark; href?: string }[] = [];
  tokens.forEach((token, i) => {
    if (breaks.has(i)) {
      for (const mark of [...open].reverse()) current.push({ t: 'close', mark: mark.mark });
      paragraphs.push(current);
      current = open.map((mark) => ({ ...mark }));
      return;
    }
    if (token.t === 'open') open.push(token);
    else if (token.t === 'close') open.pop();
    current.push(token);
  });
  paragraphs.push(current);
  return paragraphs;
}

function normaliseParagraph(paragraph: Paragraph): Paragraph[] {
  let tokens = paragraph.tokens.map((t): Token => (isText(t) ? { t: 'text', text: t.text.replace(CONTROL_CHARS, '').replace(/[ \t\n\r\f\v]+/g, ' ') } : t));
  tokens = splitCodeAtBreaks(linkBareUrls(mergeTexts(tokens)));
  while (tidyOnce(tokens));
  const result: Paragraph[] = [];
  for (const part of splitAtDoubleBreaks(tokens)) {
    while (tidyOnce(part));
    if (part.some((t) => isText(t) && t.text !== '')) result.push({ t: 'p', tokens: part });
  }
  return result;
}

function normaliseBlocks(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const block of blocks) {
    if (block.t === 'p') out.push(...normaliseParagraph(block));
    else {
      const inner = normaliseBlocks(block.blocks);
      if (inner.length) out.push({ t: 'quote', blocks: inner });
    }
  }
  return out;
}

// --- writing the source ---

const escapeText = (text: string): string => text.replace(/[\\`*_[\]]/g, '\\$&');
const escapeDestination = (href: string): string => href.replace(/[()\\]/g, '\\$&');

/** A code span for this text, or null when Markdown cannot hold it (runs of 3+ backticks stay literal in this renderer). */
function codeSpan(code: string): string | null {
  if (code === '' || /``/.test(code)) return null;
  const fence = code.includes('`') ? '``' : '`';
  const pad = code.startsWith('`') || code.endsWith('`') || (code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${code}${pad}${fence}`;
}

function codeText(tokens: Token[], from: number): { text: string; end: number } {
  let text = '';
  let i = from + 1;
  for (; i < tokens.length && !(tokens[i].t === 'close' && (tokens[i] as { mark: Mark }).mark === 'code'); i++) {
    const token = tokens[i];
    if (isText(token)) text += token.text;
  }
  return { text, end: i };
}

function writeParagraph(tokens: Token[], plain: boolean): string {
  let out = '';
  const links: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (isText(token)) out += escapeText(token.text);
    else if (token.t === 'br') out += '\n';
    else if (token.mark === 'code') {
      if (token.t === 'close') continue;
      const { text, end } = codeText(tokens, i);
      const span = plain ? null : codeSpan(text);
      out += span ?? escapeText(text);
      i = end;
    } else if (token.mark === 'link') {
      if (token.t === 'open') {
        links.push(token.href ?? '');
        out += '[';
      } else out += `](${escapeDestination(links.pop() ?? '')})`;
    } else if (!plain) out += token.mark === 'strong' ? '**' : '*';
  }
  // A `>` opening a line would start a quote.
  return out.replace(/(^|\n)>/g, '$1\\>');
}

function writeBlocks(blocks: Block[], plain: boolean): string {
  return blocks
    .map((block) =>
      block.t === 'p'
        ? writeParagraph(block.tokens, plain || !!block.plain)
        : writeBlocks(block.blocks, plain)
            .split('\n')
            .map((line) => (line ? `> ${line}` : '>'))
            .join('\n'),
    )
    .join('\n\n');
}

// --- the HTML a parsed comment stands for, to check the written source against ---

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function htmlOfParagraph(tokens: Token[], plain: boolean): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (isText(token)) out += escapeHtml(token.text);
    else if (token.t === 'br') out += '<br>';
    else if (token.mark === 'code') {
      if (token.t === 'close') continue;
      const { text, end } = codeText(tokens, i);
      out += !plain && codeSpan(text) ? `<code>${escapeHtml(text)}</code>` : escapeHtml(text);
      i = end;
    } else if (token.mark === 'link') out += token.t === 'open' ? `<a href="${escapeHtml(token.href ?? '')}">` : '</a>';
    else if (!plain) out += `<${token.t === 'close' ? '/' : ''}${token.mark}>`;
  }
  return `<p>${out}</p>`;
}

function htmlOfBlocks(blocks: Block[], plain: boolean): string {
  return blocks.map((b) => (b.t === 'p' ? htmlOfParagraph(b.tokens, plain || !!b.plain) : `<blockquote>${htmlOfBlocks(b.blocks, plain)}</blockquote>`)).join('');
}

/** Comparable form: the sanitiser's output with whitespace that does not show removed. */
function comparable(html: string): string {
  return sanitizeHtml(html, COMMENT_SANITIZE_OPTIONS)
    .replace(/\s+/g, ' ')
    .replace(/\s*(<\/?(?:p|blockquote)>|<br\s*\/?>)\s*/g, '$1')
    .trim();
}

/**
 * Emphasis rules depend on the characters around the markers (`**"x"**y` is not bold in
 * Markdown): each paragraph with formatting is rendered alone and compared; one that differs
 * is written without bold, italic and code. Returns whether any paragraph was.
 */
function markUnwritableFormatting(blocks: Block[]): boolean {
  let dropped = false;
  for (const block of blocks) {
    if (block.t === 'quote') {
      dropped = markUnwritableFormatting(block.blocks) || dropped;
      continue;
    }
    if (!block.tokens.some((t) => (t.t === 'open' || t.t === 'close') && t.mark !== 'link')) continue;
    if (comparable(renderCommentBody(writeParagraph(block.tokens, false))) !== comparable(htmlOfParagraph(block.tokens, false))) {
      block.plain = true;
      dropped = true;
    }
  }
  return dropped;
}

export interface ConvertedComment {
  /** The comment source to store. */
  source: string;
  /** `renderCommentBody(source)`, already made for the check. */
  html: string;
  /** Bold, italic or code were nested in a way Markdown cannot write; the text is kept without them. */
  formattingDropped: boolean;
}

/**
 * Converts comment HTML to this app's comment source (see the module comment). `reading`
 * says how newlines count: `wordpress` (paragraphs and line breaks) or `html` (spaces).
 */
export function commentSourceFromHtml(input: string, reading: 'wordpress' | 'html' = 'wordpress'): ConvertedComment {
  const builder = new TreeBuilder(reading === 'wordpress');
  const parser = new Parser(
    {
      onopentag: (name, attributes) => builder.openTag(name, attributes),
      ontext: (text) => builder.text(text),
      onclosetag: (name) => builder.closeTag(name),
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(input);
  parser.end();
  builder.endParagraph();
  const blocks = normaliseBlocks(builder.root);
  const first = writeBlocks(blocks, false);
  const firstHtml = renderCommentBody(first);
  if (comparable(firstHtml) === comparable(htmlOfBlocks(blocks, false))) return { source: first, html: firstHtml, formattingDropped: false };
  const formattingDropped = markUnwritableFormatting(blocks);
  const source = writeBlocks(blocks, false);
  const html = renderCommentBody(source);
  if (comparable(html) === comparable(htmlOfBlocks(blocks, false))) return { source, html, formattingDropped };
  // Not expected (each paragraph was checked); written plainly, the text itself is still exact.
  const plain = writeBlocks(blocks, true);
  return { source: plain, html: renderCommentBody(plain), formattingDropped: true };
}
