import { defineConfig } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_LAUNCH } from './fixtures/browser';

// One throwaway database per run; set once here so workers (which inherit the env) agree.
process.env.AFTERWORD_E2E_DB ??= join(tmpdir(), `afterword-e2e-${process.pid}-${Date.now()}.db`);
// E2E_PORT / E2E_EXTRA_PORT_BASE let two checkouts run their suites side by side on one machine.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 4399);

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  // One retry on CI so a machine hiccup does not fail a submission; Playwright still reports it as flaky.
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    launchOptions: CHROMIUM_LAUNCH,
    trace: 'off',
  },
  webServer: {
    // Started exactly as `npm start` starts it, on the build the test command just made.
    command: 'node --import tsx scripts/start.ts',
    cwd: join(import.meta.dirname, '..'),
    url: `http://localhost:${E2E_PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      PORT: String(E2E_PORT),
      HOST: 'localhost',
      DATABASE_PATH: process.env.AFTERWORD_E2E_DB,
      SITE_URL: `http://localhost:${E2E_PORT}`,
      OUTBOX_DIR: join(tmpdir(), `afterword-e2e-outbox-${process.pid}`),
      // Spam timing defences get their own server in security specs; here they would only slow tests.
      COMMENT_FLOOD_SECONDS: '0',
      COMMENT_MIN_SECONDS: '0',
      // Specs here post hundreds of comments to one post and read them on one page; comment pages
      // are tested on their own server (e2e/comment-pages.spec.ts).
      COMMENTS_PER_PAGE: '1000',
      ASTRO_TELEMETRY_DISABLED: '1',
    },
  },
});
