/**
 * Uninstalling: the store is disabled, its token erased and its purge scheduled — once BigCommerce
 * confirms it. `/uninstall` accepts the same signed payload
 * as `/load`, which any user of the store (staff included) receives in the control panel; so before the
 * store is disabled and its token erased, the app asks BigCommerce whether the token still works. An
 * uninstall revokes it (BigCommerce answers 401): then the store is uninstalled. While it still works,
 * nothing is erased: the call is logged as suspicious and the token is checked again a few times over the
 * next hour, so a genuine uninstall whose revocation lags behind the callback still completes.
 *
 * A paid plan ends with the period already paid for: BigCommerce is told to cancel the subscription (a job
 * of its own, tried again while BigCommerce cannot be reached), unless the store is installed again first.
 */
import type { Queue } from 'bullmq';
import type { BigCommerceGateway, TokenStatus } from '../bigcommerce/index.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import type { Logger } from '../logger.ts';
import type { BillingDeps } from '../plans/billing.service.ts';
import { queueSubscriptionEnd } from '../plans/billing.jobs.ts';
import { endSubscription } from '../plans/subscription-sync.service.ts';
import type { ReconcileJob } from '../reconcile/reconcile.jobs.ts';
import { findStore } from '../stores/stores.repo.ts';
import { uninstallStore } from '../stores/stores.service.ts';

export interface UninstallDeps {
  db: Db;
  config: Pick<Config, 'purgeAfterDays'>;
  logger: Logger;
  effects: Pick<StockEffects, 'changed'>;
  gateway: Pick<BigCommerceGateway, 'forgetToken'>;
  /** Where an uninstall's later work is queued — BigCommerce asked again, a paid subscription's end — the reconcile queue. */
  uninstallJobs: Pick<Queue, 'add'>;
}

/** The store uninstalled the app (confirmed, or the webhook): disabled, token erased, purge scheduled. */
export async function uninstall(deps: UninstallDeps, storeHash: string): Promise<boolean> {
  const changed = await uninstallStore(deps.db, storeHash, deps.config.purgeAfterDays);
  if (!changed) return false;
  deps.logger.info({ storeHash, purgeAfterDays: deps.config.purgeAfterDays }, 'store uninstalled; token erased, purge scheduled');
  await deps.gateway.forgetToken(storeHash);
  // The storefront stops showing messages now, not when cached answers expire.
  await deps.effects.changed(storeHash, []);
  await queueSubscriptionEnd(deps.uninstallJobs, storeHash);
  return true;
}

/** The queued end of an uninstalled store's subscription: kept if the store was installed again meanwhile. */
export async function endSubscriptionAfterUninstall(deps: BillingDeps, storeHash: string): Promise<'cancelled' | 'installed-again' | 'no-subscription'> {
  const store = await findStore(deps.db, storeHash);
  if (store?.status === 'active') return 'installed-again';
  return (await endSubscription(deps, storeHash, 'BackOrder was uninstalled, so cancelled on BigCommerce')) ? 'cancelled' : 'no-subscription';
}

/** Waits between checks: BigCommerce is asked again 1, 5, 15, 30 and 60 minutes after the callback. */
export const UNINSTALL_CHECK_DELAYS_MS = [60_000, 4 * 60_000, 10 * 60_000, 15 * 60_000, 30 * 60_000] as const;

export const UNINSTALL_CHECK_JOB = 'confirm-uninstall';

export interface UninstallCheckJob extends ReconcileJob {
  /** 1 for the first check after the callback. */
  check: number;
}

export interface ConfirmUninstallDeps extends UninstallDeps {
  gateway: Pick<BigCommerceGateway, 'tokenStatus' | 'forgetToken'>;
}

export type UninstallOutcome = 'uninstalled' | 'not-installed' | 'checking-again' | 'kept';

/** Uninstalls the store if BigCommerce revoked its token; otherwise schedules check `check + 1` (0: the callback itself). */
export async function confirmUninstall(deps: ConfirmUninstallDeps, storeHash: string, check: number): Promise<UninstallOutcome> {
  const store = await findStore(deps.db, storeHash);
  if (!store || store.status !== 'active') return 'not-installed';
  const status = await deps.gateway.tokenStatus(storeHash).catch((): TokenStatus => 'unknown');
  if (status === 'revoked') return (await uninstall(deps, storeHash)) ? 'uninstalled' : 'not-installed';

  const delay = UNINSTALL_CHECK_DELAYS_MS[check];
  if (delay === undefined) {
    deps.logger.warn({ storeHash, status, checks: check }, 'uninstall not confirmed by BigCommerce within the hour: the store stays installed');
    return 'kept';
  }
  if (check === 0) {
    deps.logger.warn(
      { storeHash, status },
      'suspicious /uninstall: the store’s token still works, so nothing was erased; BigCommerce is asked again over the next hour',
    );
  }
  const job: UninstallCheckJob = { storeHash, check: check + 1 };
  await deps.uninstallJobs.add(UNINSTALL_CHECK_JOB, job, {
    delay,
    deduplication: { id: `confirm-uninstall-${storeHash}-${check + 1}` },
  });
  return 'checking-again';
}
