/**
 * A stop reaches the program. Containers and process managers signal the process they started, and only it:
 * `npm run web` puts npm and a shell in between, and the shell dies of SIGTERM without passing it on, so the
 * program never drains and is killed at the end of the grace period. compose.yaml and the Dockerfile start
 * `node scripts/run.mjs <command>` itself, which passes the signal to its program and ends as the program did.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../../helpers/config.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { childrenOf, newcomerEnv, ROOT, spawnNode, type Spawned } from '../../helpers/processes.ts';

/** `node scripts/run.mjs <command>` (web or worker) on the tests' PostgreSQL and Redis, once it runs; and its program's pid. */
async function startApart(command: 'web' | 'worker'): Promise<{ run: Spawned; program: number }> {
  const database = await createTestDatabase({ poolSize: 1 });
  await database.close();
  const run = spawnNode(
    ['scripts/run.mjs', command],
    newcomerEnv({
      DATABASE_URL: database.url,
      REDIS_URL: process.env.REDIS_URL,
      CLIENT_ID: TEST_CLIENT_ID,
      CLIENT_SECRET: TEST_CLIENT_SECRET,
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      QUEUE_PREFIX: `{signals${randomBytes(4).toString('hex')}}`,
      MIGRATE_ON_START: 'false',
      PORT: '0',
    }),
  );
  await expect.poll(() => run.output(), { timeout: 30_000, interval: 200 }).toMatch(command === 'web' ? /serving http/ : /workers running/);
  const [program] = childrenOf(run.child.pid!);
  expect(program?.args).toContain(`scripts/${command}.ts`);
  return { run, program: program!.pid };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('signals', () => {
  it('when compose.yaml or the Dockerfile starts an app process, then it starts node scripts/run.mjs itself (exec form), never through npm', () => {
    const compose = parseYaml(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, { build?: string; command?: unknown; entrypoint?: unknown }>;
    };
    for (const name of ['migrate', 'web', 'worker']) {
      expect(compose.services[name]!.command, name).toEqual(['node', 'scripts/run.mjs', name]);
      expect(compose.services[name]!.entrypoint, name).toBeUndefined();
    }
    for (const [name, service] of Object.entries(compose.services)) expect(JSON.stringify(service.command ?? ''), name).not.toMatch(/\bnpm\b/);

    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const starts = dockerfile.split('\n').filter((line) => /^(CMD|ENTRYPOINT) /.test(line));
    expect(starts).toEqual(['CMD ["node", "scripts/run.mjs", "web"]']);
  });

  it('when scripts/run.mjs gets SIGTERM, then its program drains and stops, and run.mjs ends as the program did', async () => {
    const { run, program } = await startApart('web');
    try {
      process.kill(run.child.pid!, 'SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).toMatch(/SIGTERM received: stopping \.\.\.\nstopped\n/);
      expect(alive(program)).toBe(false);
    } finally {
      if (alive(program)) process.kill(program, 'SIGKILL');
    }
  }, 60_000);

  it('when the program is ended by a signal, then run.mjs exits 128 + that signal’s number, as a shell reports it', async () => {
    const { run, program } = await startApart('worker');
    try {
      process.kill(program, 'SIGKILL');
      expect(await run.exited).toBe(128 + 9);
    } finally {
      if (alive(program)) process.kill(program, 'SIGKILL');
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }, 60_000);
});
