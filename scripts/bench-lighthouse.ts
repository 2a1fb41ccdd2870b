/**
 * Lighthouse (mobile) scores of pages on a running server, for `npm run bench`: performance,
 * accessibility, best practices and SEO, each 0–100 (target: 100). Uses Debian's Chromium
 * (CHROME_PATH, default /usr/bin/chromium) with the flags it needs on this machine (STACK.md).
 * Never part of `npm test`: scores depend on the machine's load.
 *
 * As a command: `node --import tsx scripts/bench-lighthouse.ts <origin> <path>...`
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_LAUNCH } from '../e2e/fixtures/browser';

export interface LighthouseScores {
  path: string;
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  /** Audits that cost points (id: score 0–1), to say why a score is below 100. */
  failing: Record<string, number>;
}

// The same flags the e2e suite launches Debian's Chromium with, headless.
const CHROME_FLAGS = ['--headless=new', ...CHROMIUM_LAUNCH.args];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const root = fileURLToPath(new URL('..', import.meta.url));

interface LighthouseResult {
  categories: Record<(typeof CATEGORIES)[number], { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { score: number | null; scoreDisplayMode: string }>;
  runtimeError?: { message: string };
}

/** Runs the Lighthouse CLI once on `url` and returns its JSON report. */
function runLighthouse(url: string): Promise<LighthouseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules/lighthouse/cli/index.js'), url, `--chrome-flags=${CHROME_FLAGS.join(' ')}`, '--form-factor=mobile',
        `--only-categories=${CATEGORIES.join(',')}`, '--output=json', '--quiet'],
      { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`lighthouse ${url} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      const report = JSON.parse(stdout) as LighthouseResult;
      if (report.runtimeError) return reject(new Error(`lighthouse ${url}: ${report.runtimeError.message}`));
      resolve(report);
    });
  });
}

/** Lighthouse's scores for each of `paths` on `origin`, one page after the other. */
export async function lighthouseScores(origin: string, paths: readonly string[]): Promise<LighthouseScores[]> {
  const results: LighthouseScores[] = [];
  for (const path of paths) {
    const report = await runLighthouse(new URL(path, origin).href);
    const score = (c: (typeof CATEGORIES)[number]) => Math.round((report.categories[c].score ?? 0) * 100);
    const failing: Record<string, number> = {};
    for (const c of CATEGORIES) {
      for (const ref of report.categories[c].auditRefs) {
        const audit = report.audits[ref.id];
        if (ref.weight > 0 && audit?.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'informative') failing[ref.id] = audit.score;
      }
    }
    results.push({ path, performance: score('performance'), accessibility: score('accessibility'), bestPractices: score('best-practices'), seo: score('seo'), failing });
  }
  return results;
}

/** One line per page, in the style of the other bench figures. */
export function formatLighthouse(scores: readonly LighthouseScores[]): string[] {
  return scores.map((s) => {
    const all = [s.performance, s.accessibility, s.bestPractices, s.seo];
    const why = Object.keys(s.failing).length ? `  (below 1: ${Object.entries(s.failing).map(([id, v]) => `${id} ${v}`).join(', ')})` : '';
    return `${all.every((v) => v === 100) ? '✓' : '✗'} lighthouse mobile ${s.path.padEnd(34)} perf ${s.performance} · a11y ${s.accessibility} · best practices ${s.bestPractices} · SEO ${s.seo}${why}`;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [origin, ...paths] = process.argv.slice(2);
  if (!origin || paths.length === 0) {
    console.error('usage: node --import tsx scripts/bench-lighthouse.ts <origin> <path>...');
    process.exit(2);
  }
  void lighthouseScores(origin, paths).then(
    (scores) => {
      for (const line of formatLighthouse(scores)) console.log(line);
      process.exit(scores.every((s) => [s.performance, s.accessibility, s.bestPractices, s.seo].every((v) => v === 100)) ? 0 : 1);
    },
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
