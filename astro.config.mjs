// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

// The real origin (SITE_URL) is only known at run time, so the app does its own origin
// check in src/middleware.ts; Astro's build-time check would refuse every form post
// whose Host does not match a domain fixed at build time (see STACK.md).
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  security: { checkOrigin: false },
  // One external stylesheet and external scripts only: the CSP forbids inline script.
  build: { inlineStylesheets: 'never' },
  vite: { build: { assetsInlineLimit: 0 } },
  devToolbar: { enabled: false },
  // github-dark's comment colour fails WCAG AA contrast (3.04:1); the -default variant passes.
  markdown: { shikiConfig: { theme: 'github-dark-default' } },
});
