/**
 * Who a commenter claims to be, compared the way a reader's eye compares: case, width,
 * accents, invisible characters and the common Cyrillic/Greek look-alikes of Latin letters
 * make no difference. Used to keep the public form from posting as a moderator. Pure.
 */

/** Cyrillic and Greek letters that render like Latin ones in most fonts (after lower-casing). */
const LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ɡ: 'g',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', μ: 'u', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ζ: 'z',
  '0': 'o', '1': 'l', '|': 'l',
};

/** Characters that take no space or look like nothing (zero-width, bidi marks, soft hyphen, fillers). */
export const INVISIBLE_CHARACTERS = /[\p{Default_Ignorable_Code_Point}\u061C\u180E]/gu;

/** The form of a name or address used to decide whether two of them look the same. */
export function identityKey(value: string): string {
  const plain = value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(INVISIBLE_CHARACTERS, '')
    .toLowerCase();
  let key = '';
  for (const char of plain) {
    if (/[\s._-]/u.test(char)) continue;
    key += LOOKALIKES[char] ?? char;
  }
  return key;
}

/**
 * Whether a commenter's typed name or email looks like one of the moderators' (the site's
 * staff), so the comment is held for review instead of trusted or auto-approved.
 */
export function claimsModeratorIdentity(
  typed: { name: string; email: string },
  moderators: readonly { name: string; email: string }[],
): boolean {
  const name = identityKey(typed.name);
  const email = identityKey(typed.email);
  return moderators.some((m) => (name !== '' && identityKey(m.name) === name) || identityKey(m.email) === email);
}
