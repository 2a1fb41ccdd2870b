/**
 * Turning a public labelled mail corpus into what the learning spam filter reads of a comment, and
 * splitting it reproducibly into a training and a held-out part, for `scripts/bench-spam-filter.ts`.
 * Pure: no files, no clock, no randomness (the same corpus always gives the same split).
 *
 * A mail is not a blog comment, so only what a comment also has is kept: the sender's display name
 * and address (the comment's name and email), the subject and the readable text of the body (the
 * comment's text: text/plain parts, else text/html reduced to its words and link targets). Every
 * other header (Received, Message-Id, X-Mailer…) is dropped: a comment carries none of them, and
 * they would make the task far easier than telling comment spam from ham.
 */
import type { SpamFilterInput } from '../src/domain/comments/spam-filter';

/** FNV-1a (32 bit) over the UTF-8 bytes: small, stable across runs, machines and Node versions. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Whether an example is held out for testing (else it trains): decided by its text alone, so the
 * split is the same on every run and identical texts (the corpus has some) never sit on both sides.
 */
export function isHeldOut(text: string, heldOutPercent = 30): boolean {
  return stableHash(text) % 100 < heldOutPercent;
}

/** Splits examples into training and held-out parts by `isHeldOut` of `textOf(example)`, keeping their order. */
export function splitCorpus<T>(examples: readonly T[], textOf: (example: T) => string, heldOutPercent = 30): { train: T[]; test: T[] } {
  const train: T[] = [];
  const test: T[] = [];
  for (const example of examples) (isHeldOut(textOf(example), heldOutPercent) ? test : train).push(example);
  return { train, test };
}

/** Precision and recall of the spam class from the four counts (NaN when undefined: nothing flagged / no spam). */
export function precisionRecall(counts: { truePositives: number; falsePositives: number; falseNegatives: number }): { precision: number; recall: number } {
  const flagged = counts.truePositives + counts.falsePositives;
  const spam = counts.truePositives + counts.falseNegatives;
  return { precision: flagged ? counts.truePositives / flagged : NaN, recall: spam ? counts.truePositives / spam : NaN };
}

// ---------------------------------------------------------------------------------------------
// Mail (RFC 5322 / MIME) reduced to a comment
// ---------------------------------------------------------------------------------------------

interface Part {
  headers: Map<string, string>;
  body: string;
}

/** Headers (unfolded, last name wins, names lower-cased) and the body after the first empty line. */
function parsePart(raw: string): Part {
  const text = raw.replace(/\r\n/g, '\n');
  // A part may start with its empty line: no headers (plain text, by default).
  if (text.startsWith('\n')) return { headers: new Map(), body: text.slice(1) };
  const end = text.indexOf('\n\n');
  const head = end === -1 ? text : text.slice(0, end);
  const body = end === -1 ? '' : text.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('From ')) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** A header parameter (`boundary`, `charset`), quoted or not. */
function parameter(header: string, name: string): string | null {
  return new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header)?.slice(1).find((v) => v !== undefined) ?? null;
}

function decodeBytes(bytes: Buffer, charset: string | null): string {
  try {
    return new TextDecoder(charset ?? 'latin1').decode(bytes);
  } catch {
    return bytes.toString('latin1'); // an unknown or misspelled charset
  }
}

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const soft = text.replace(/=\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const hex = soft[i] === '=' ? /^[0-9A-Fa-f]{2}$/.exec(soft.slice(i + 1, i + 3))?.[0] : undefined;
    if (hex) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(soft.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

/** `=?utf-8?B?…?=` / `=?iso-8859-1?Q?…?=` words of a header decoded (RFC 2047). */
export function decodeHeaderWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*(?==\?)?/g, (_, charset: string, encoding: string, text: string) =>
    decodeBytes(encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQuotedPrintable(text.replace(/_/g, ' ')), charset.split('*')[0]),
  );
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The words of an HTML body, each link's target kept as a plain URL (as a comment's Markdown would show it). */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<a\b[^>]*?\bhref\s*=\s*["']?([^"'\s>]+)[^>]*>/gi, ' $1 ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === '#') {
        const code = name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    });
}

/** The readable text of a part: text/plain parts of a multipart first, else its HTML as text. */
function readableText(part: Part, depth = 0): string {
  const type = part.headers.get('content-type') ?? 'text/plain';
  const boundary = parameter(type, 'boundary');
  if (/^multipart\//i.test(type) && boundary && depth < 5) {
    const parts = part.body.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--')).map((p) => parsePart(p.replace(/^[ \t]*\n/, '')));
    const plain = parts.filter((p) => /^text\/plain/i.test(p.headers.get('content-type') ?? 'text/plain') || /^multipart\//i.test(p.headers.get('content-type') ?? ''));
    const chosen = plain.map((p) => readableText(p, depth + 1)).filter((t) => t.trim());
    if (chosen.length) return chosen.join('\n\n');
    return parts.filter((p) => /^text\/html/i.test(p.headers.get('content-type') ?? '')).map((p) => readableText(p, depth + 1)).join('\n\n');
  }
  if (!/^text\//i.test(type)) return ''; // attachments, images
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  const charset = parameter(type, 'charset');
  const text =
    encoding === 'base64' ? decodeBytes(Buffer.from(part.body.replace(/\s+/g, ''), 'base64'), charset)
    : encoding === 'quoted-printable' ? decodeBytes(decodeQuotedPrintable(part.body), charset)
    : part.body;
  return /^text\/html/i.test(type) ? htmlToText(text) : text;
}

/** The sender's display name and address from a From header (`Name <a@b>`, `"Name" <a@b>`, `a@b (Name)`, `a@b`). */
export function parseSender(from: string): { name: string; email: string } {
  const decoded = decodeHeaderWords(from);
  const angle = /^(.*?)<([^>]*)>/.exec(decoded);
  if (angle) return { name: angle[1].trim().replace(/^"(.*)"$/, '$1').trim(), email: angle[2].trim() };
  const comment = /^(\S+@\S+)\s*\((.*)\)/.exec(decoded);
  if (comment) return { name: comment[2].trim(), email: comment[1] };
  return { name: '', email: decoded.trim() };
}

/** A whole mail as the filter would see it were it a comment (see the module comment for what is kept). */
export function mailToCommentInput(raw: string): SpamFilterInput {
  const mail = parsePart(raw);
  const subject = decodeHeaderWords(mail.headers.get('subject') ?? '');
  const sender = parseSender(mail.headers.get('from') ?? '');
  const body = [subject, readableText(mail)].filter((t) => t.trim()).join('\n\n');
  return { body, name: sender.name, email: sender.email, website: null };
}
