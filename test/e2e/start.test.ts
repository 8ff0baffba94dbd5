import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.ts';
import { isRunning } from '../../scripts/lib/process.ts';
import { newcomerEnv, spawnNode, waitForHealthy } from '../helpers/processes.ts';
import { useTempFolders } from '../helpers/temp-folders.ts';

const tempFolder = useTempFolders();

async function startOnce(dataDir: string) {
  const port = await freePort();
  const spawned = spawnNode(['scripts/run.mjs', 'start'], newcomerEnv({ DATA_DIR: dataDir, PORT: String(port) }));
  await waitForHealthy(`http://localhost:${port}/healthz`, spawned);
  const health = await (await fetch(`http://localhost:${port}/healthz`)).json();
  // The summary (with the admin URL) is printed once the app is installed into the sandbox.
  for (let waited = 0; !/Press Ctrl-C to stop/.test(spawned.output()) && waited < 30_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The printed admin URL is the sandbox control panel's app page: its iframe opens a fresh /load link.
  const adminUrl = /admin: +(\S+)/.exec(spawned.output())?.[1];
  const panel = adminUrl ? await (await fetch(adminUrl)).text() : '';
  const loadUrl = /<iframe title="BackOrder" src="([^"]+)"/.exec(panel)?.[1]?.replaceAll('&amp;', '&');
  const admin = loadUrl ? await fetch(loadUrl, { redirect: 'manual' }) : undefined;
  const shop = /shop: +(http:\/\/127\.0\.0\.1:\d+) \(demo storefront of [a-z0-9]+\)/.exec(spawned.output())?.[1];
  const shopPage = shop ? await fetch(`${shop}/`) : undefined;
  const shopStatus = { status: shopPage?.status, heading: /<h1 class="page-heading">([^<]+)</.exec((await shopPage?.text()) ?? '')?.[1] };
  // Redis removes its pid file when it stops: read it while it runs.
  const redisPid = Number(await readFile(path.join(dataDir, 'redis', 'redis-server.pid'), 'utf8'));
  spawned.child.kill('SIGINT');
  const exitCode = await Promise.race([spawned.exited, new Promise((resolve) => setTimeout(() => resolve('still running 30 s after SIGINT'), 30_000))]);
  return {
    health,
    exitCode,
    redisPid,
    redisGone: !isRunning(redisPid),
    output: spawned.output(),
    admin: { status: admin?.status, location: admin?.headers.get('location') },
    shop,
    shopStatus,
  };
}

describe('npm start', () => {
  it('when started with no configuration, then it is healthy, stops cleanly on SIGINT, and a second start reuses the data', async () => {
    const dataDir = await tempFolder('backorder-start-');

    const first = await startOnce(dataDir);
    expect(first.health).toMatchObject({ status: 'ok', engine: 'pglite' });
    expect(first.exitCode).toBe(0);
    expect(first.output).toMatch(/secrets generated in/);
    // Every step says what it did and how long it took; the embedded database's creation is announced first.
    expect(first.output).toMatch(/redis-server started on redis:\/\/127\.0\.0\.1:\d+ in \d+(\.\d)? s/);
    expect(first.output).toMatch(/sandbox demo store [a-z0-9]+ created in \d+(\.\d)? s/);
    expect(first.output).toMatch(/sandbox store started in \d+(\.\d)? s/);
    expect(first.output).toMatch(/creating the embedded database in .* \(first start only\)/);
    expect(first.output).toMatch(/database migrated \(0001_foundation\.sql.*\) in \d+(\.\d)? s/);
    expect(first.output).toMatch(/backorder is running/);
    expect(first.output).toMatch(/stopped/);
    // Nothing left behind: the redis-server it started is gone, and the shutdown finished in time.
    expect(first.redisPid).toBeGreaterThan(0);
    expect(first.redisGone).toBe(true);
    expect(first.output).not.toMatch(/did not finish cleanly|took too long/);
    const sandboxLine = /sandbox: +http:\/\/127\.0\.0\.1:\d+ \(BigCommerce stand-in; stores: ([a-z0-9]+)\)/;
    const store = sandboxLine.exec(first.output)?.[1];
    expect(store).toBeDefined();
    expect(first.shopStatus).toEqual({ status: 200, heading: 'New Products' });
    expect(JSON.parse(await readFile(path.join(dataDir, 'sandbox', 'state.json'), 'utf8')).stores).toHaveLength(1);
    // Installed into the sandbox store through /auth; the printed admin URL opens the admin in its iframe.
    expect(first.output).toMatch(/app installed into the sandbox store/);
    expect(first.admin.status).toBe(302);
    expect(first.admin.location).toMatch(/^\/admin\/products\?session=/);
    const secrets = await readFile(path.join(dataDir, 'dev-secrets.json'), 'utf8');

    const second = await startOnce(dataDir);
    expect(second.exitCode).toBe(0);
    expect(second.redisGone).toBe(true);
    expect(second.output).not.toMatch(/did not finish cleanly|took too long/);
    expect(second.output).toMatch(/secrets read from/);
    expect(second.output).toMatch(/database schema is up to date \(opened in \d+(\.\d)? s\)/);
    expect(second.output).not.toMatch(/creating the embedded database|demo store .* created/);
    // The sandbox carries on with the same store, still installed.
    expect(sandboxLine.exec(second.output)?.[1]).toBe(store);
    expect(second.output).not.toMatch(/app installed into the sandbox store/);
    expect(second.admin.status).toBe(302);
    expect(second.shop).toBe(first.shop); // the shop keeps its port when it is free
    expect(await readFile(path.join(dataDir, 'dev-secrets.json'), 'utf8')).toBe(secrets);
  });

  it('when the configuration is bad, then start-up stops with one message listing every problem', async () => {
    const spawned = spawnNode(
      ['scripts/run.mjs', 'start'],
      newcomerEnv({ ENCRYPTION_KEY: 'too-short', DATABASE_URL: 'not-a-url', SANDBOX_PORT: 'eighty', DATA_DIR: os.tmpdir() }),
    );
    expect(await spawned.exited).toBe(1);
    // The sandbox's own settings (sandbox/config.ts) are named in the same message.
    expect(spawned.output()).toMatch(
      /Configuration is invalid:\n {2}- ENCRYPTION_KEY: must be 32 bytes[^\n]*\n {2}- DATABASE_URL: must be a URL[^\n]*\n {2}- SANDBOX_PORT: /,
    );
  });

  it('when the worker runs apart without DATABASE_URL, then it says why it needs one', async () => {
    const spawned = spawnNode(['scripts/run.mjs', 'worker'], newcomerEnv({}));
    expect(await spawned.exited).toBe(1);
    expect(spawned.output()).toMatch(/DATABASE_URL: required by npm run worker: the embedded database \(PGlite\) cannot be shared/);
  });
});
