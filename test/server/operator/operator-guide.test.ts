/**
 * docs/operator-guide.md names only commands that a test runs: each command in its shell blocks and in
 * its inline code is matched to the test that runs it, and that test is checked to run it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/processes.ts';

const guide = readFileSync(path.join(ROOT, 'docs', 'operator-guide.md'), 'utf8');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** A command, the test that runs it, and what in that test shows it runs it. */
const RUN_BY: Array<{ command: RegExp; test: string; shows: (match: RegExpMatchArray) => string }> = [
  { command: /^sh scripts\/image-build\.sh$/, test: 'test/e2e/production-install.test.ts', shows: () => `'sh', ['scripts/image-build.sh']` },
  // Run inside scripts/image-build.sh, which production-install.test.ts runs.
  { command: /^npm ci --omit=dev$/, test: 'scripts/image-build.sh', shows: () => 'npm ci --omit=dev --no-audit' },
  { command: /^npm run (migrate|web|worker)$/, test: 'test/e2e/production-install.test.ts', shows: (m) => `['run', '${m[1]}']` },
  { command: /^node scripts\/run\.mjs (web|worker)$/, test: 'test/server/foundation/signals.test.ts', shows: () => `['scripts/run.mjs', command]` },
  { command: /^npm run cli -- (\S+)/, test: 'test/server/operator/cli.test.ts', shows: (m) => `cli('${m[1]}'` },
  { command: /^npm run reconcile$/, test: 'test/server/stores/key-rotation.test.ts', shows: () => `'scripts/reconcile.ts'` },
  { command: /^pg_dump (--format=custom)/, test: 'test/server/operator/backup-restore.test.ts', shows: (m) => `'pg_dump', ['${m[1]}'` },
  {
    command: /^pg_restore (--no-owner --exit-on-error)/,
    test: 'test/server/operator/backup-restore.test.ts',
    shows: () => `'pg_restore', ['--no-owner', '--exit-on-error'`,
  },
];

/** Named, and not run by any test here, each for its reason (the guide says so next to it). */
const NOT_RUN: Record<string, string> = {
  'docker compose up -d': 'no Docker daemon where the tests run; compose.yaml’s shape is tested instead',
  'git pull': 'fetches from the operator’s remote',
};

/** Every command the guide names: each line of its sh blocks (comments dropped) and inline code that starts like one. */
function commandsOf(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap(([, body]) => body!.split('\n'));
  const inline = [...markdown.matchAll(/`([^`\n]+)`/g)].map(([, code]) => code!);
  return [...blocks.map((line) => line.replace(/\s+#.*$/, '').trim()), ...inline]
    .filter((line) => /^(npm|sh|pg_dump|pg_restore|docker|git|node|openssl) /.test(line))
    .filter((line, index, all) => all.indexOf(line) === index);
}

describe('the operator guide', () => {
  it('when it names a command, then a test runs that command', () => {
    const commands = commandsOf(guide);
    expect(commands.length).toBeGreaterThan(10);
    for (const command of commands) {
      if (NOT_RUN[command]) continue;
      const known = RUN_BY.map((rule) => ({ rule, match: command.match(rule.command) })).find(({ match }) => match);
      expect(known, `no test is known to run "${command}"`).toBeDefined();
      expect(read(known!.rule.test), `${known!.rule.test} runs "${command}"`).toContain(known!.rule.shows(known!.match!));
    }
  });

  it('when it lists the metrics, then it lists exactly those /metrics serves', () => {
    const source = read('server/metrics/metrics.ts');
    const served = [...source.matchAll(/name: '(backorder_[a-z_]+)'/g)].map(([, name]) => name).sort();
    const listed = [...guide.matchAll(/^\| `(backorder_[a-z_]+)` \|/gm)].map(([, name]) => name).sort();
    expect(listed).toEqual(served);
  });

  it('when the README is read, then it links the operator guide', () => {
    expect(read('README.md')).toContain('](docs/operator-guide.md)');
  });
});
