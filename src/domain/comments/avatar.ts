/**
 * Avatars without Gravatar: initials on a colour. The colour comes from a keyed hash of the
 * commenter's email (HMAC with the site's secret, computed by the service), so the same commenter
 * gets the same avatar on every comment while nothing public can be looked up to find the address.
 * Drawn by CSS from two values in the HTML: no request, no image, a few bytes per comment.
 */

/** Up to two letters: the first of the first and of the last word ("Dana Whitfield" → "DW"). */
export function avatarInitials(name: string): string {
  const words = name.trim().split(/\s+/u).filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length === 0) return '?';
  const first = (word: string) => Array.from(word.replace(/^[^\p{L}\p{N}]+/u, ''))[0] ?? '';
  const letters = words.length === 1 ? first(words[0]) : first(words[0]) + first(words[words.length - 1]);
  return letters.toLocaleUpperCase();
}

/** A hue (0–359) from a keyed hash in hex: the same hash, the same colour. */
export function avatarHue(keyedHashHex: string): number {
  const value = Number.parseInt(keyedHashHex.slice(0, 8), 16);
  return Number.isNaN(value) ? 0 : value % 360;
}
