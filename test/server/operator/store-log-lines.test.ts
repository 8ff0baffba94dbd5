/**
 * Issue 18: "every line about a store carries its hash". The app is installed in a sandbox store with
 * debug logging, then used the ways a store uses it — the control panel opens the admin, a shopper's page
 * asks the storefront API, an order arrives by webhook and moves stock, BigCommerce answers 500 for a
 * while, a forged delivery is refused, a store job fails — and every line written after start-up is read
 * back: each one carries that store's `storeHash`. Only the process's own start-up lines are about no store.
 */
import { describe, expect, it } from 'vitest';
import { apiFaultSpells } from '../../helpers/faults.ts';
import { assignInSandbox, useInstalledApp } from '../../helpers/installed-app.ts';
import { stockOf } from '../../helpers/inventory.ts';

const installed = useInstalledApp({ config: { logLevel: 'debug' } });

interface Line {
  msg?: string;
  storeHash?: string;
  [field: string]: unknown;
}

/** What the process says about itself while starting: about no store. */
const START_UP = [
  /^redis connected$/,
  /^database migrated/,
  /^database schema is up to date/,
  /^workers started$/,
  /^http server listening$/,
  /^metrics served/,
  /^creating the embedded database/,
];

const lines = (): Line[] => installed.app.logLines.map((raw) => JSON.parse(raw) as Line);

describe('log lines about a store', () => {
  it('when a store installs, opens the admin, sells by webhook, meets BigCommerce errors and a failing job, then every line carries its hash', async () => {
    const { app, sandbox, storeHash } = installed;

    // The control panel opens the app: /load, then an admin page.
    const loaded = await fetch(sandbox.loadUrl(storeHash), { redirect: 'manual' });
    expect(loaded.status).toBe(302);
    expect((await fetch(new URL(loaded.headers.get('location')!, app.url))).status).toBe(200);

    // A shopper's product page asks what can be ordered.
    expect((await fetch(`${app.url}/storefront-api/v1/stores/${storeHash}/availability?products=116`)).status).toBe(200);

    // An order arrives by webhook and moves stock (the worker's lines), while BigCommerce errors for a spell.
    const [item] = await assignInSandbox(installed, 116, { threshold: 5, stock: 0 });
    const spell = apiFaultSpells(sandbox.url, storeHash, [{ fault: '500', ms: 1_500 }]);
    sandbox.store(storeHash).placeOrder({ lines: [{ productId: 116, quantity: 2 }] });
    await spell;
    await expect.poll(async () => (await stockOf(app.database.db, item!.id)).currentStock, { timeout: 30_000, interval: 100 }).toBe(-2);

    // A delivery for the store that does not carry the store's secret is refused (and logged).
    const forged = await fetch(`${app.url}/webhooks/bigcommerce`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Webhook-Secret': 'not-the-secret' },
      body: JSON.stringify({
        scope: 'store/order/created',
        store_id: '1',
        producer: `stores/${storeHash}`,
        hash: 'x',
        created_at: 1,
        data: { type: 'order', id: 1 },
      }),
    });
    expect(forged.status).toBe(401);

    // A store job that fails.
    const job = await app.queues.storeJobs.add('no-such-work', { storeHash, jobId: 0 }, { attempts: 1 });
    await expect.poll(() => job.getState(), { timeout: 15_000 }).toBe('failed');
    await expect.poll(() => lines().some((line) => line.msg === 'store-jobs job failed on its last attempt'), { timeout: 5_000 }).toBe(true);

    const written = lines();
    const aboutNoStore = written.filter((line) => line.storeHash === undefined && !START_UP.some((pattern) => pattern.test(line.msg ?? '')));
    expect(aboutNoStore.map((line) => JSON.stringify(line).slice(0, 300))).toEqual([]);
    expect(written.filter((line) => line.storeHash !== undefined && line.storeHash !== storeHash)).toEqual([]);
    // The scenario did write the kinds of lines it meant to: each kind of request, BigCommerce calls and retries, the refusal, the job.
    const messages = written.map((line) => line.msg ?? '');
    const paths = written.flatMap((line) => ((line.req as { url?: string } | undefined)?.url ? [(line.req as { url: string }).url] : []));
    // (The storefront API and webhook deliveries, the hot paths, have no request line: only their failures are logged.)
    for (const path of ['/auth', '/load', '/admin/']) {
      expect(
        paths.some((url) => url.startsWith(path)),
        `a request line for ${path}`,
      ).toBe(true);
    }
    expect(messages).toContain('bigcommerce request');
    expect(messages).toContain('bigcommerce server error; retrying');
    expect(messages.some((msg) => msg.startsWith('Delivery not verified'))).toBe(true);
  }, 90_000);
});
