import { getCollection, render } from 'astro:content';
import { site } from '../../site.config';
import { i18n } from '../i18n';

/**
 * A standing page (imprint, privacy…) listed in site.config.ts, in the site's language
 * (content/pages/<locale>/<slug>.md, falling back to English); null for anything else.
 */
export async function getStandingPage(slug: string) {
  if (!site.legalPages.some((p) => p.slug === slug)) return null;
  const { locale } = i18n();
  const entries = await getCollection('pages');
  const entry = entries.find((e) => e.id === `${locale}/${slug}`) ?? entries.find((e) => e.id === `en/${slug}`);
  if (!entry) return null;
  const { Content } = await render(entry);
  return { title: entry.data.title, description: entry.data.description, Content };
}
