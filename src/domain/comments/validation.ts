/**
 * The ONE place untrusted comment-form input is parsed.
 *
 * Everything that reaches storage or rendering goes through `validateCommentInput`,
 * so normalisation rules (trimming, control-character removal, URL canonicalisation)
 * live here and nowhere else. Pure: no I/O, never throws on hostile input.
 */
import { z } from 'astro/zod';
import { isMessageKey, type MessageKey } from './messages';

/**
 * Limits, in Unicode code points of the trimmed value; exported for the importers and their
 * reports. The forms deliberately carry no `maxlength`: browsers count UTF-16 units of the
 * untrimmed value (an emoji counts twice) and silently cut pasted text, which would turn an
 * over-long email or URL into a shorter, wrong one that passes. Over the limit, the server's
 * message shows next to the field with everything typed kept (SPEC: "a commenter never loses
 * their text").
 */
export const COMMENT_LIMITS = Object.freeze({
  nameMax: 100,
  emailMax: 254,
  websiteMax: 200,
  bodyMax: 10_000,
});

/** A comment submission after validation and normalisation. */
export type CommentInput = {
  name: string;
  email: string;
  website: string | null;
  body: string;
  parentId: number | null;
  remember: boolean;
  /** "Notify me of replies by email": opt-in, confirmed by a link mailed to `email`. */
  notify: boolean;
};

/** Fields that can carry an error (`remember` and `notify` cannot be wrong: anything but "on" means no). */
export type CommentField = 'name' | 'email' | 'website' | 'body' | 'parentId';

export type ValidationResult =
  | { ok: true; value: CommentInput }
  | { ok: false; errors: Partial<Record<CommentField, MessageKey>> };

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

type Outcome<T> = { ok: true; value: T } | { ok: false; error: MessageKey };
const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const fail = <T>(error: MessageKey): Outcome<T> => ({ ok: false, error });

/** Missing and `null` (Astro's empty field) read as ''; anything that is not a string (File, array…) reads as `null` = invalid. */
function asText(raw: unknown): string | null {
  if (raw === undefined || raw === null) return '';
  return typeof raw === 'string' ? raw : null;
}

/** True when `s` has more than `max` code points. Cheap for the common case and stops early on huge input. */
function exceedsCodePoints(s: string, max: number): boolean {
  if (s.length <= max) return false; // UTF-16 length is never smaller than the code point count
  let count = 0;
  for (const _ of s) {
    if (++count > max) return true;
  }
  return false;
}

/** Wraps a field parser as a zod schema that reports the message key as the issue message. */
function field<T>(parse: (raw: unknown) => Outcome<T>) {
  return z.unknown().transform((raw, ctx): T => {
    const result = parse(raw);
    if (result.ok) return result.value;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: result.error });
    return z.NEVER;
  });
}

// ---------------------------------------------------------------------------
// Field parsers
// ---------------------------------------------------------------------------

// C0, DEL and C1 controls, plus bidi embedding/override/isolate controls (used to visually spoof names).
const NAME_JUNK = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
/**
 * Characters that show as nothing (zero-width space and joiners, bidi marks, soft hyphen,
 * combining grapheme joiner, word joiner, fillers…), so two names that differ only by them look
 * identical. A zero-width joiner or emoji variation selector right after an emoji is kept: it
 * is part of the emoji (👩‍💻).
 */
const INVISIBLE_IN_NAMES =
  /(?<![\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])[\u200D\uFE0F]|(?![\u200D\uFE0F])[\p{Default_Ignorable_Code_Point}\u061C\u180E]/gu;

function parseName(raw: unknown): Outcome<string> {
  const text = asText(raw);
  if (text === null) return fail('field.invalid');
  // A name is a single line: control characters become spaces and runs of whitespace collapse,
  // so a name can never inject a line break into e.g. a notification e-mail.
  const name = text.normalize('NFC').replace(NAME_JUNK, ' ').replace(INVISIBLE_IN_NAMES, '').replace(/\s+/gu, ' ').trim();
  if (name === '') return fail('name.required');
  if (exceedsCodePoints(name, COMMENT_LIMITS.nameMax)) return fail('name.tooLong');
  return ok(name);
}

// RFC 5322 "atext" (dot-atom local part). Quoted local parts and non-ASCII local parts are not
// accepted — browsers' <input type="email"> rejects them too, and our mailer may not speak SMTPUTF8.
const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
// A domain label: letters/digits (any script, for IDN such as bücher.de) and inner hyphens.
const DOMAIN_LABEL = /^[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?$/u;

function parseEmail(raw: unknown): Outcome<string> {
  const text = asText(raw);
  if (text === null) return fail('email.invalid');
  const email = text.trim();
  if (email === '') return fail('email.required');
  if (exceedsCodePoints(email, COMMENT_LIMITS.emailMax)) return fail('email.tooLong');

  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return fail('email.invalid');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).normalize('NFC').toLowerCase();

  if (local.length > 64) return fail('email.invalid');
  // Splitting on '.' also rejects leading, trailing and consecutive dots (empty parts), and a second '@'.
  if (!local.split('.').every((part) => LOCAL_ATOM.test(part))) return fail('email.invalid');

  if (domain.length > 253) return fail('email.invalid');
  const labels = domain.split('.');
  if (labels.length < 2) return fail('email.invalid'); // "a@b": no TLD, almost always a typo
  for (const label of labels) {
    if (label.length > 63 || !DOMAIN_LABEL.test(label)) return fail('email.invalid');
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return fail('email.invalid'); // numeric TLD

  // Local part kept as typed (it may be case-sensitive); the domain is case-insensitive, so store it lowercased.
  return ok(`${local}@${domain}`);
}

function parseWebsite(raw: unknown): Outcome<string | null> {
  const text = asText(raw);
  if (text === null) return fail('website.invalid');
  const input = text.trim();
  if (input === '') return ok(null);
  if (exceedsCodePoints(input, COMMENT_LIMITS.websiteMax)) return fail('website.tooLong');
  // The URL parser silently drops tabs/newlines ("java\nscript:"), so refuse any whitespace or control character.
  if (/[\p{Cc}\s]/u.test(input)) return fail('website.invalid');

  let candidate: string;
  if (/^https?:\/\//i.test(input)) {
    candidate = input;
  } else if (input.startsWith('//')) {
    candidate = `https:${input}`;
  } else if (/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(input)) {
    // Some other scheme (javascript:, data:, ftp:, mailto:) or "user:pass@host": never prefix those.
    // A colon followed by a digit is a port ("example.com:8080"), handled below.
    return fail('website.invalid');
  } else {
    // "example.com": WordPress users expect this to work.
    candidate = `https://${input}`;
  }

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return fail('website.invalid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail('website.invalid');
  if (url.username !== '' || url.password !== '') return fail('website.invalid');
  // Require a dotted host with no empty labels: "https://hello" or "localhost" is not someone's website.
  const host = url.hostname;
  if (!host.includes('.') || host.split('.').some((label) => label === '')) return fail('website.invalid');

  // Store the parser's serialisation: what we validated is exactly what ends up in href attributes.
  const href = url.href;
  if (exceedsCodePoints(href, COMMENT_LIMITS.websiteMax)) return fail('website.tooLong');
  return ok(href);
}

// C0 controls except \t (09) and \n (0A); \r is turned into \n first. DEL is removed too.
const BODY_JUNK = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

function parseBody(raw: unknown): Outcome<string> {
  const text = asText(raw);
  if (text === null) return fail('field.invalid');
  // Browsers submit textarea line breaks as \r\n; a lone \r (old Mac) is a line break too.
  const body = text.replace(/\r\n?/g, '\n').replace(BODY_JUNK, '').trim();
  if (body === '') return fail('body.required');
  if (exceedsCodePoints(body, COMMENT_LIMITS.bodyMax)) return fail('body.tooLong');
  return ok(body);
}

function parseParent(raw: unknown): Outcome<number | null> {
  const text = asText(raw);
  if (text === null) return fail('parentId.invalid');
  const s = text.trim();
  if (s === '') return ok(null);
  // Decimal digits only: Number() would also accept "1e3", "0x10", " 12 " or "-0".
  if (!/^[0-9]+$/.test(s)) return fail('parentId.invalid');
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n <= 0) return fail('parentId.invalid');
  return ok(n);
}

function parseRemember(raw: unknown): boolean {
  // A checked checkbox posts "on" (or its value attribute); unchecked posts nothing. Opt-in must be explicit.
  return typeof raw === 'string' && ['on', 'true', '1', 'yes'].includes(raw.trim().toLowerCase());
}

// ---------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------

/** The raw fields exactly as the HTML form posts them. */
const RawCommentFormSchema = z.object({
  /** Display name; single line, 1–100 code points. */
  name: field(parseName),
  /** Needed to recognise returning authors and for reply notifications; never shown publicly. */
  email: field(parseEmail),
  /** Optional homepage; canonical http(s) URL or null. "example.com" is accepted as https://example.com/. */
  website: field(parseWebsite),
  /** The comment text (form field `comment`, as in WordPress, which some spam bots avoid guessing). */
  comment: field(parseBody),
  /** The comment being replied to (form field `parent`); null for a top-level comment. */
  parent: field(parseParent),
  /** "Remember me" checkbox: whether to store name/email/website in a cookie. */
  remember: z.unknown().transform(parseRemember),
  /** "Notify me of replies by email" checkbox; unchecked (absent) means no. */
  notify: z.unknown().transform(parseRemember),
});

/**
 * Parses the raw form fields into a `CommentInput`.
 * Issue messages are `MessageKey`s; prefer `validateCommentInput`, which maps them to form fields.
 */
export const CommentInputSchema = RawCommentFormSchema.transform(
  (raw): CommentInput => ({
    name: raw.name,
    email: raw.email,
    website: raw.website,
    body: raw.comment,
    parentId: raw.parent,
    remember: raw.remember,
    notify: raw.notify,
  }),
);

const RAW_TO_FIELD: Readonly<Record<string, CommentField>> = {
  name: 'name',
  email: 'email',
  website: 'website',
  comment: 'body',
  parent: 'parentId',
};

/**
 * Validates and normalises a comment form submission (e.g. `Object.fromEntries(formData)`).
 * Never throws; reports every invalid field at once (one message per field) so the user can fix all in one go.
 */
export function validateCommentInput(raw: Record<string, unknown>): ValidationResult {
  // Defensive: callers may hand us something that is not an object at runtime.
  const input: Record<string, unknown> = typeof raw === 'object' && raw !== null ? raw : {};
  const parsed = CommentInputSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };

  const errors: Partial<Record<CommentField, MessageKey>> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    const fieldName = typeof key === 'string' ? RAW_TO_FIELD[key] : undefined;
    if (fieldName === undefined || errors[fieldName] !== undefined) continue;
    errors[fieldName] = isMessageKey(issue.message) ? issue.message : 'field.invalid';
  }
  return { ok: false, errors };
}
