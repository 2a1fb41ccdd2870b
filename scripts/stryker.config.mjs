// Mutation testing of the pure core (src/domain, src/render): `npm run test:mutation`.
// Each mutant is checked by running only the unit-test files that reach the mutated code
// (the tap runner runs every *.test.ts file under node's test runner with tsx, one process per
// file). Not part of `npm test`: run it before resolving an issue that touches those folders.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  tap: {
    testFiles: ['src/domain/**/*.test.ts', 'src/render/**/*.test.ts'],
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
  },
  mutate: [
    'src/domain/**/*.ts',
    'src/render/**/*.ts',
    '!**/*.test.ts',
    '!**/*.fixture.ts',
    // Test data (the XSS corpus), not code.
    '!src/render/xss-payloads.ts',
  ],
  // Only what the runs need is copied into the sandbox.
  ignorePatterns: ['/dist', '/data', '/e2e', '/content', '/public', '/test-results', '/playwright-report', '/.astro'],
  coverageAnalysis: 'perTest',
  checkers: [],
  concurrency: 2,
  // A test file runs in well under 2 s; a mutant that loops forever is cut off after 5 s more.
  timeoutMS: 5000,
  tempDirName: '.stryker-tmp',
  // Used with `npm run test:mutation -- --incremental`: re-tests only mutants whose code or tests changed.
  incrementalFile: '.stryker-tmp/incremental.json',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: '.stryker-tmp/mutation-report.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  // The floor (issue 16: at least 85%; the full run of 2026-12-01 reached 85.49%). Raise it with the score; never lower it.
  thresholds: { high: 95, low: 85, break: 85 },
};
