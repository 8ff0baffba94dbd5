/**
 * The setup that follows an install, in the background with progress: the store's profile, webhook
 * registration, the first catalog sync, Script Manager registration, and theme detection (the storefront's
 * pages choose the store's theme profile, unless the merchant chose one). Every step converges, so a
 * retry after a failure (or a reinstall) repeats it safely. The scripts come last: the merchant can work
 * with the synced catalog even while the storefront scripts cannot be registered yet.
 */
import { describeSync, syncCatalog } from '../catalog/catalog-sync.service.ts';
import type { Progress, StoreJobData, StoreJobDeps } from '../jobs/jobs.service.ts';
import { countsOf, registerScripts, registerWebhooks } from '../registration/registration.service.ts';
import { readStorefrontBundle, STOREFRONT_DIST_DIR } from '../registration/storefront-bundle.ts';
import { saveProfile } from '../stores/stores.repo.ts';
import { THEME_LABELS } from '../settings/storefront-form-groups.ts';
import { detectThemeAfterInstall } from '../themes/theme-check.service.ts';

/** Sets the store up; returns the message the merchant sees when it is done. */
export async function runInstall(deps: StoreJobDeps, data: StoreJobData, progress: Progress): Promise<string> {
  const { config } = deps;
  if (!config.encryptionKey) throw new Error('ENCRYPTION_KEY is not configured');
  const connection = await deps.gateway.connect(data.storeHash);
  await progress.say('Reading the store’s details');
  await saveProfile(deps.db, data.storeHash, await connection.storeProfile());
  await progress.say('Registering webhooks');
  const webhooks = await registerWebhooks(deps.db, connection, { appUrl: config.appUrl, encryptionKey: config.encryptionKey });
  const sync = await syncCatalog(deps.db, connection.catalog, data.storeHash, data.jobId, progress);
  await progress.say('Registering the storefront scripts');
  // A reinstalled store keeps its settings: a Custom profile's selectors go into the loader's URL again.
  const scripts = await registerScripts(deps.db, connection, {
    appUrl: config.appUrl,
    bundle: await readStorefrontBundle(STOREFRONT_DIST_DIR),
    lock: deps.lock,
  });
  await progress.say('Finding your theme');
  const theme = await detectThemeAfterInstall(deps.db, data.storeHash, deps.logger);
  deps.logger.info({ storeHash: data.storeHash, webhooks: countsOf(webhooks), scripts: countsOf(scripts), sync, theme }, 'store set up');
  const found = theme ? `; your theme was recognised as ${THEME_LABELS[theme]} (Settings can change it)` : '';
  return `BackOrder is set up: ${describeSync(sync)} synced${found}.`;
}
