// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

// The real origin (SITE_URL) is only known at run time, so the app does its own origin
// check in src/middleware.ts. Astro's check would refuse every same-origin form post: since
// 5.14 its server trusts the Host header only when it matches `security.allowedDomains`,
// which is fixed at build time.
/**
 * Astro 5.18 skips escaping an attribute value that contains `&` and parses as an http(s)
 * URL, so a name or website like `https://a.example/?&"><meta http-equiv=refresh …>` breaks
 * out of `value="…"`. Fixed upstream in withastro/astro#15740 (Astro 6, which needs Node 22);
 * this applies the same fix (always escape) to the bundled runtime. The build fails if the
 * code is no longer there, so the patch is removed rather than silently outliving its need.
 */
/** @returns {import('vite').Plugin} */
function escapeEveryAttribute() {
  const unsafeBranch = 'typeof value === "string" && value.includes("&") && isHttpUrl(value)';
  return {
    name: 'afterword:escape-every-attribute',
    enforce: 'pre',
    /** @param {string} code @param {string} id */
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('astro/dist/runtime/server/render/util.js')) return null;
      if (!code.includes(unsafeBranch)) throw new Error('afterword:escape-every-attribute: Astro changed; check whether the patch is still needed');
      return code.replace(unsafeBranch, 'false');
    },
  };
}

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  security: { checkOrigin: false },
  // One external stylesheet and external scripts only: the CSP forbids inline script.
  build: { inlineStylesheets: 'never' },
  vite: { build: { assetsInlineLimit: 0 }, plugins: [escapeEveryAttribute()] },
  devToolbar: { enabled: false },
  // github-dark's comment colour fails WCAG AA contrast (3.04:1); the -default variant passes.
  markdown: { shikiConfig: { theme: 'github-dark-default' } },
});
