/**
 * The whole app installed in a sandbox store, as in production: the sandbox calls /auth, the install job
 * registers webhooks and scripts and syncs the catalog, and BigCommerce's events reach the app's workers.
 */
import { afterAll, beforeAll } from 'vitest';
import { insertAssignment } from '../../server/assignments/assignments.repo.ts';
import type { InventoryItem } from '../../server/db/schema.ts';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import type { Config } from '../../server/config.ts';
import { finishedJob } from './admin.ts';
import { startTestApp, type TestApp } from './app.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from './config.ts';

export interface InstalledApp {
  sandbox: Sandbox;
  app: TestApp;
  storeHash: string;
  stop(): Promise<void>;
}

/** `config` may be built from the sandbox (its URL, its Unified Billing partner account). */
type ConfigFor = Partial<Config> | ((sandboxUrl: string, billing: Config['unifiedBilling']) => Partial<Config>);

export async function installedApp(options: { config?: ConfigFor; seed?: 'demo' | 'empty' } = {}): Promise<InstalledApp> {
  const sandbox = await startSandbox({
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    rateLimit: { quota: 0, windowMs: 30_000 },
    webhookTimeScale: 0.0001,
  });
  const { storeHash } = await sandbox.createStore({ name: 'Stock engine store', seed: options.seed ?? 'demo' });
  const extra = typeof options.config === 'function' ? options.config(sandbox.url, sandbox.billing.config()) : options.config;
  const app = await startTestApp({ config: { bigcommerce: { apiUrl: sandbox.url, loginUrl: sandbox.url }, ...extra } });
  sandbox.setAppUrl(app.url);
  await nightlyReconcilePassed(app);
  const installed = await sandbox.install(storeHash, { call: true });
  if (installed.status !== 302 && installed.status !== 200) throw new Error(`/auth answered ${installed.status}`);
  const job = await finishedJob(app.database.db, storeHash, 'install', 60_000);
  if (job.status !== 'succeeded') throw new Error(`install failed: ${job.error}`);
  return {
    sandbox,
    app,
    storeHash,
    async stop() {
      await app.stop();
      await sandbox.stop();
    },
  };
}

/**
 * Waits for the workers' first nightly reconcile, which their start runs at once (BullMQ runs a new `every`
 * scheduler immediately): held up by a busy machine until after the install, it would reconcile the store under
 * a test's feet — registering its hooks again, say, while the test set them as an older deployment left them.
 */
async function nightlyReconcilePassed(app: TestApp): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await app.queues.housekeeping.getJobs(['completed', 'failed'])).some((job) => job.name === 'reconcile-stores')) {
    if (Date.now() > deadline) throw new Error('the workers’ first nightly reconcile did not run within 30 s of their start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The app installed in a sandbox store for one test file: installed before its tests (then `prepare` runs),
 * stopped after them. The object is filled in once installed.
 */
export function useInstalledApp(options: Parameters<typeof installedApp>[0] = {}, prepare?: (installed: InstalledApp) => Promise<void>): InstalledApp {
  const installed = {} as InstalledApp;
  beforeAll(async () => {
    Object.assign(installed, await installedApp(options));
    await prepare?.(installed);
  }, 120_000);
  afterAll(async () => {
    await installed.stop?.();
  });
  return installed;
}

/**
 * Puts a sandbox product on backorder as the assign flow does: BigCommerce's tracking saved and turned
 * off there, items created here from its current levels with the given stock and threshold.
 */
export async function assignInSandbox(
  installed: InstalledApp,
  productId: number,
  items: { threshold: number | null; stock?: number },
): Promise<InventoryItem[]> {
  const store = installed.sandbox.store(installed.storeHash);
  const product = store.product(productId) as {
    inventory_tracking: 'none' | 'product' | 'variant';
    availability: 'available' | 'disabled' | 'preorder';
    inventory_level: number;
    variants: Array<{ id: number; sku: string; inventory_level: number }>;
  };
  const byVariant = product.inventory_tracking === 'variant';
  const created = await installed.app.database.db.transaction().execute((trx) =>
    insertAssignment(trx, {
      storeHash: installed.storeHash,
      productId,
      trackedBy: byVariant ? 'variant' : 'product',
      savedInventoryTracking: product.inventory_tracking,
      savedAvailability: product.availability,
      items: (byVariant ? product.variants : [{ id: null, sku: product.variants[0]?.sku ?? '', inventory_level: product.inventory_level }]).map((v) => ({
        variantId: v.id,
        sku: v.sku,
        currentStock: items.stock ?? v.inventory_level,
        backorderThreshold: items.threshold,
        bigcommerceLevel: v.inventory_level,
      })),
    }),
  );
  store.setInventoryTracking(productId, 'none');
  return created.items;
}
