/**
 * Runs a store's reconcile and logs what it fixed; also registers a new storefront build's scripts, asks
 * BigCommerce again about an uninstall it has not confirmed yet, and runs the Unified Billing jobs.
 */
import { Worker } from 'bullmq';
import { confirmUninstall, endSubscriptionAfterUninstall, UNINSTALL_CHECK_JOB, type UninstallCheckJob } from '../app-lifecycle/uninstall.service.ts';
import { BILLING_SYNC_JOB, CHECKOUT_POLL_JOB, pollCheckout, runBillingSync, SUBSCRIPTION_END_JOB, type CheckoutPollJob } from '../plans/billing.jobs.ts';
import { queueOrderNote } from '../orders/order-note.jobs.ts';
import type { ReconcileJob } from '../reconcile/reconcile.jobs.ts';
import { itemsToCheck, runReconcile } from '../reconcile/reconcile.service.ts';
import { refreshScripts } from '../registration/scripts-refresh.service.ts';
import { readStorefrontBundle, STOREFRONT_DIST_DIR } from '../registration/storefront-bundle.ts';
import type { WorkerDeps } from './deps.ts';
import { storeWork } from './processors.ts';
import { QUEUE_NAMES } from './queues.ts';

export function createReconcileWorker(deps: WorkerDeps): Worker<ReconcileJob> {
  const { effects } = deps;
  return new Worker<ReconcileJob>(
    QUEUE_NAMES.reconcile,
    storeWork(async (job) => {
      const { storeHash } = job.data;
      if (job.name === UNINSTALL_CHECK_JOB) {
        const { check } = job.data as UninstallCheckJob;
        return confirmUninstall({ ...deps, uninstallJobs: deps.queues.reconcile }, storeHash, check);
      }
      const billing = deps.gateway.billing;
      if (job.name === CHECKOUT_POLL_JOB || job.name === BILLING_SYNC_JOB || job.name === SUBSCRIPTION_END_JOB) {
        if (!billing) return 'unified billing not configured';
        if (job.name === CHECKOUT_POLL_JOB) return pollCheckout({ db: deps.db, billing }, job.data as CheckoutPollJob);
        if (job.name === SUBSCRIPTION_END_JOB) return endSubscriptionAfterUninstall({ db: deps.db, billing }, storeHash);
        return runBillingSync({ db: deps.db, billing }, storeHash);
      }
      const connection = await deps.gateway.connect(storeHash, { priority: 'background' });
      if (job.name === 'scripts') {
        const bundle = await readStorefrontBundle(STOREFRONT_DIST_DIR);
        return (await refreshScripts(deps.db, connection, { appUrl: deps.config.appUrl, bundle, lock: deps.lock })) ? 'registered' : 'unchanged';
      }
      const encryptionKey = deps.config.encryptionKey;
      if (!encryptionKey) throw new Error('ENCRYPTION_KEY is not configured');
      const registration = {
        appUrl: deps.config.appUrl,
        encryptionKey,
        previousEncryptionKey: deps.config.previousEncryptionKey,
        bundle: await readStorefrontBundle(STOREFRONT_DIST_DIR),
        lock: deps.lock,
      };
      const { report, fixes } = await runReconcile(deps, connection, registration);
      // The nightly reconcile also reads the store's subscriptions: BigCommerce sends no webhook for them.
      if (billing) {
        const plan = await runBillingSync({ db: deps.db, billing }, storeHash);
        if (plan.from !== plan.to) fixes.push(`plan ${plan.from} → ${plan.to}, as BigCommerce reports the subscription`);
      }
      await effects.changed(storeHash, itemsToCheck(report));
      for (const orderId of report.notesOwed) await queueOrderNote(deps.queues.orderNotes, storeHash, orderId);
      deps.logger.info({ storeHash, fixes }, fixes.length > 0 ? `reconcile fixed ${fixes.length} things` : 'reconcile found nothing to fix');
      return fixes;
    }),
    { connection: deps.connection, prefix: deps.prefix, concurrency: 1 },
  );
}
