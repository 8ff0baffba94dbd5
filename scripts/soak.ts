/**
 * `npm run soak [-- <prefix>]`: the long variants of the reliability tests (soak/*.soak.ts, or those whose
 * name starts with the prefix), all within 10 minutes: the storefront API and the webhook receiver under a
 * minute of load, and a burst of orders through faults. Prints `figure <name> <value>` lines; exits
 * non-zero when a correctness check failed (units lost or doubled, deliveries not acknowledged), after
 * printing the figures.
 */
import { runFigureModules } from './lib/figure-runner.ts';

runFigureModules({ folder: 'soak', suffix: '.soak.ts', prefix: process.argv[2] ?? '', totalBoundMs: 9.5 * 60_000 }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
