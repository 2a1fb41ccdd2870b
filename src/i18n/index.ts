import { de } from './de';
import { en, type MessageId } from './en';

export type Locale = 'en' | 'de';
export type { MessageId };

/** Message ids counted by `plural`: every `x` with an `x.other` (and `x.one`) form. */
export type PluralBase = MessageId extends infer K ? (K extends `${infer B}.other` ? B : never) : never;

const dictionaries: Record<Locale, Record<MessageId, string>> = { en, de };

export interface Translator {
  locale: Locale;
  /** The string for `id` with `{name}` placeholders filled in. */
  t(id: MessageId, params?: Record<string, string | number>): string;
  /** A date as people of this locale write it (e.g. "14 October 2026", "14. Oktober 2026"). */
  formatDate(date: Date): string;
  /** Date and time, for comments. */
  formatDateTime(date: Date): string;
  /** Picks the `.zero`/`.one`/`.other` form of a counted message. */
  plural(base: PluralBase, count: number): string;
}

/** Builds the translator for a locale; cheap, but callers keep one per request. */
export function createTranslator(locale: Locale): Translator {
  const dict = dictionaries[locale];
  const dateFormat = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  const numberFormat = new Intl.NumberFormat(locale);
  const t: Translator['t'] = (id, params) =>
    dict[id].replace(/\{(\w+)\}/g, (whole, name: string) =>
      params && name in params ? String(typeof params[name] === 'number' ? numberFormat.format(params[name] as number) : params[name]) : whole,
    );
  return {
    locale,
    t,
    formatDate: (date) => dateFormat.format(date),
    formatDateTime: (date) => `${dateTimeFormat.format(date)} UTC`,
    plural(base, count) {
      const form = count === 0 && `${base}.zero` in dict ? 'zero' : count === 1 ? 'one' : 'other';
      return t(`${base}.${form}` as MessageId, { count });
    },
  };
}
