/**
 * `npm run bench [-- <prefix>]`: runs every bench/*.bench.ts (or those whose name starts with the
 * prefix), each within its own bound and all within 15 minutes, printing `figure <name> <value>` lines.
 */
import { runFigureModules } from './lib/figure-runner.ts';

runFigureModules({ folder: 'bench', suffix: '.bench.ts', prefix: process.argv[2] ?? '', totalBoundMs: 15 * 60_000 }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
