import { z } from 'astro/zod';

/**
 * The site's identity: name, tagline, logo, accent colour, footer links and legal pages.
 * Edit the object at the bottom of this file and rebuild (`npm run build`); a wrong value fails
 * the build with the field named. Everything a reader sees is given in English and German,
 * because SITE_LOCALE picks the UI language at run time.
 */

/** A text in both UI languages. */
const Localized = z.object({ en: z.string().min(1), de: z.string().min(1) });

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is written #rrggbb');

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two #rrggbb colours (1–21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The page backgrounds of the light and dark themes (src/styles/global.css uses the same). */
export const BACKGROUND = { light: '#ffffff', dark: '#111418' } as const;

/** A link in the footer: a path on this site or an absolute http(s) URL. */
const FooterLink = z.object({
  label: Localized,
  href: z.string().regex(/^(\/|https?:\/\/)/, 'a link starts with / or http(s)://'),
});

export const SiteConfigSchema = z.object({
  /** Shown in the header, page titles and feeds. */
  name: z.string().min(1).max(60),
  /** One line under the name on the front page and in the footer; the front page's meta description. */
  tagline: Localized,
  /** Path of the logo under public/ (square SVG or PNG, shown at 32 px). */
  logo: z.string().regex(/^\/[\w./-]+\.(svg|png)$/, 'the logo is a path under public/, e.g. /logo.svg'),
  /**
   * Links, buttons and highlights. `light` is used on white, `dark` on the dark theme; each
   * must reach WCAG AA contrast (4.5:1) against its background, or the build stops.
   */
  accent: z
    .object({ light: hexColour, dark: hexColour })
    .refine((c) => contrastRatio(c.light, BACKGROUND.light) >= 4.5, { message: `accent.light needs 4.5:1 contrast on ${BACKGROUND.light}` })
    .refine((c) => contrastRatio(c.dark, BACKGROUND.dark) >= 4.5, { message: `accent.dark needs 4.5:1 contrast on ${BACKGROUND.dark}` }),
  /** Footer links (company site, status page, careers…). */
  footerLinks: z.array(FooterLink).max(8).default([]),
  /**
   * Legal pages (imprint, privacy policy — German company sites must have both). Each is a
   * Markdown file content/pages/<slug>.md served at /<slug> and linked from every footer.
   */
  legalPages: z
    .array(z.object({ slug: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a slug is lowercase words joined by dashes'), label: Localized }))
    .max(4)
    .default([]),
});

export type SiteConfig = z.infer<typeof SiteConfigSchema>;

/** Parses a configuration, failing with one line per wrong field. */
export function parseSiteConfig(input: unknown): SiteConfig {
  const result = SiteConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `site.config.ts: ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(problems.join('\n'));
}

export const site: SiteConfig = parseSiteConfig({
  name: 'Afterword',
  tagline: {
    en: 'Write-ups, post-mortems and the conversations after them.',
    de: 'Berichte, Nachbetrachtungen und die Gespräche danach.',
  },
  logo: '/logo.svg',
  accent: { light: '#0b5cad', dark: '#7fb6ff' },
  footerLinks: [
    { label: { en: 'Company website', de: 'Unternehmenswebsite' }, href: 'https://www.example.com/' },
    { label: { en: 'Service status', de: 'Dienststatus' }, href: 'https://status.example.com/' },
  ],
  legalPages: [
    { slug: 'imprint', label: { en: 'Imprint', de: 'Impressum' } },
    { slug: 'privacy', label: { en: 'Privacy', de: 'Datenschutz' } },
  ],
});
