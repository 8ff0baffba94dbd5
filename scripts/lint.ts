/**
 * `npm run lint`: Prettier's formatting, ESLint's rules (eslint.config.js) and the import rules
 * (.dependency-cruiser.cjs: no cycles, dependencies point down, the app and the sandbox apart, HTTP only in
 * server/bigcommerce/). `npm run lint -- --fix` rewrites what Prettier and ESLint can fix. `npm test` runs
 * it as its `lint` suite (one result per check).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/process.ts';

const fix = process.argv.includes('--fix');
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

const checks: Array<{ name: string; argv: string[] }> = [
  { name: 'prettier', argv: [bin('prettier'), fix ? '--write' : '--check', '--log-level', 'warn', '.'] },
  { name: 'eslint', argv: [bin('eslint'), ...(fix ? ['--fix'] : []), '.'] },
  { name: 'import rules', argv: [bin('depcruise'), 'server', 'sandbox', 'storefront/src', 'scripts', '--config', '.dependency-cruiser.cjs'] },
];

let passed = 0;
let failed = 0;
for (const check of checks) {
  const result = spawnSync(check.argv[0]!, check.argv.slice(1), { cwd: ROOT, stdio: 'inherit' });
  if (result.status === 0) passed++;
  else failed++;
  console.log(`${result.status === 0 ? 'ok    ' : 'FAILED'} ${check.name}`);
}
if (failed > 0) console.log(fix ? 'Fix what is left by hand.' : 'Run `npm run lint -- --fix` for formatting and fixable rules; fix the rest by hand.');
if (process.env.BACKORDER_TEST_RESULTS) writeFileSync(process.env.BACKORDER_TEST_RESULTS, JSON.stringify({ passed, failed }));
process.exit(failed > 0 ? 1 : 0);
