import { createTranslator, type Translator } from '../i18n';
import { getConfig } from '../services/config';

let translator: Translator | undefined;

/** The site's translator (SITE_LOCALE). */
export function i18n(): Translator {
  translator ??= createTranslator(getConfig().SITE_LOCALE);
  return translator;
}
