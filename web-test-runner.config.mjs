// Storefront component tests in Debian's Chromium (never a downloaded browser), headless, offline.
import { writeFileSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { stubServer } from './test/storefront/fixtures/stub-server.mjs';

/** Writes `{ passed, failed }` for `npm test`'s total; a file that failed to load counts as a failure. */
function countsReporter(file) {
  const count = (suite) =>
    suite.tests.reduce(
      (acc, test) => (test.skipped ? acc : test.passed ? { ...acc, passed: acc.passed + 1 } : { ...acc, failed: acc.failed + 1 }),
      suite.suites.reduce(
        (acc, child) => {
          const c = count(child);
          return { passed: acc.passed + c.passed, failed: acc.failed + c.failed };
        },
        { passed: 0, failed: 0 },
      ),
    );
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0 };
      for (const session of sessions) {
        const c = session.testResults ? count(session.testResults) : { passed: 0, failed: 0 };
        totals.passed += c.passed;
        totals.failed += c.failed + (c.failed === 0 && !session.passed ? 1 : 0);
      }
      if (file) writeFileSync(file, JSON.stringify(totals));
    },
  };
}

export default {
  files: ['test/storefront/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  middleware: [stubServer()],
  plugins: [esbuildPlugin({ ts: true, target: 'es2021', tsconfig: 'storefront/tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
        ],
      },
    }),
  ],
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countsReporter(process.env.BACKORDER_TEST_RESULTS)],
};
