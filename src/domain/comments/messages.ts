/**
 * Message keys produced by the comment domain (validation errors).
 * Only keys live here: the UI translates them, so the domain stays language-neutral.
 */

/** All keys, so translation tables can be checked for completeness. */
export const COMMENT_MESSAGE_KEYS = Object.freeze([
  'name.required',
  'name.tooLong',
  'email.required',
  'email.invalid',
  'email.tooLong',
  'website.invalid',
  'website.tooLong',
  'body.required',
  'body.tooLong',
  'parentId.invalid',
  /** Generic: the field was not text at all (e.g. a file upload or a repeated field), for fields without a more specific "invalid" key. */
  'field.invalid',
] as const);

/** One translatable message key. */
export type MessageKey = (typeof COMMENT_MESSAGE_KEYS)[number];

/** Type guard so untrusted strings (e.g. from a query string) can be used as keys safely. */
export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && (COMMENT_MESSAGE_KEYS as readonly string[]).includes(value);
}
