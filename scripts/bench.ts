/**
 * `npm run bench [-- <prefix>]`: runs every bench/*.bench.ts (or those whose name starts with the
 * prefix), each within its own bound and all within 45 minutes (the modules' own bounds add up to 66; a
 * whole run takes far less, but 15 left the last modules, webhooks among them, no time on a busy machine),
 * printing `figure <name> <value>` lines.
 */
import { runFigureModules } from './lib/figure-runner.ts';

runFigureModules({ folder: 'bench', suffix: '.bench.ts', prefix: process.argv[2] ?? '', totalBoundMs: 45 * 60_000 }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
