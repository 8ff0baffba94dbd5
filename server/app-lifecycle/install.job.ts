/**
 * The setup that follows an install, in the background with progress: the store's profile, webhook
 * reconciliation, the first catalog sync and Script Manager reconciliation. Every step converges, so a
 * retry after a failure (or a reinstall) repeats it safely. The scripts come last: the merchant can work
 * with the synced catalog even while the storefront scripts cannot be registered yet.
 */
import { describeSync, syncCatalog } from '../catalog/catalog-sync.service.ts';
import type { Progress, StoreJobData, StoreJobDeps } from '../jobs/jobs.service.ts';
import { loaderSelectorsOf } from '../settings/loader-selectors.ts';
import { getSettings } from '../settings/settings.service.ts';
import { recordWebhookSecretId } from '../registration/webhook-secrets.ts';
import { saveProfile } from '../stores/stores.repo.ts';

/** Sets the store up; returns the message the merchant sees when it is done. */
export async function runInstall(deps: StoreJobDeps, data: StoreJobData, progress: Progress): Promise<string> {
  const connection = await deps.ports.connect(data.storeHash);
  await progress.say('Reading the store’s details');
  await saveProfile(deps.db, data.storeHash, await connection.storeInformation());
  await progress.say('Registering webhooks');
  const webhooks = await connection.reconcileWebhooks();
  await recordWebhookSecretId(deps.db, data.storeHash, webhooks.secretKeyId);
  const sync = await syncCatalog(deps.db, connection.catalog, data.storeHash, data.jobId, progress);
  await progress.say('Registering the storefront scripts');
  // A reinstalled store keeps its settings: a Custom profile's selectors go into the loader's URL again.
  const scripts = await connection.reconcileScripts(loaderSelectorsOf((await getSettings(deps.db, data.storeHash)).storefront));
  deps.logger.info({ storeHash: data.storeHash, webhooks, scripts, sync }, 'store set up');
  return `BackOrder is set up: ${describeSync(sync)} synced.`;
}
