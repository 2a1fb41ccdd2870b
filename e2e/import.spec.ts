import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wxrExport } from '../src/domain/comments/wordpress.fixture';
import { startServer, type RunningServer } from './fixtures/server';
import { runScript } from './fixtures/commands';

/**
 * An import while the server runs: the CLI writes through the same database, and the post page
 * (served from the page cache a moment before) shows the comments on the next visit, exactly as
 * WordPress showed them.
 */
let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('comments imported while the server runs appear on the post at once, shown as WordPress showed them', async ({ page }) => {
  const slug = 'how-we-test-failover';
  await page.goto(`${server.origin}/posts/${slug}`);
  await expect(page.getByText('Use __init__ here')).toHaveCount(0);

  const file = join(mkdtempSync(join(tmpdir(), 'afterword-import-')), 'export.xml');
  writeFileSync(
    file,
    wxrExport([
      {
        postId: 1,
        slug,
        comments: [
          { id: 1, author: 'Amp &amp; Sand', content: 'Use __init__ here, not C:\\Users\\me\\*.txt\n&gt; not a quote' },
          { id: 2, parent: 1, author: 'Bo', content: 'A <strong>reply</strong>' },
        ],
      },
    ]),
  );
  const result = await runScript('scripts/import-wordpress.ts', [file], { DATABASE_PATH: server.databasePath }, 60_000);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/^Imported 2 comment\(s\)/);

  await page.goto(`${server.origin}/posts/${slug}`);
  await expect(page.getByText('Amp & Sand', { exact: true })).toBeVisible();
  await expect(page.getByText('Use __init__ here, not C:\\Users\\me\\*.txt')).toBeVisible();
  await expect(page.getByText('> not a quote')).toBeVisible();
  await expect(page.locator('blockquote', { hasText: 'not a quote' })).toHaveCount(0);
  await expect(page.locator('strong', { hasText: 'reply' })).toBeVisible();
});
