/**
 * The Assigned Products tab's Sync: re-reads the catalog from BigCommerce (the mirror, with every product's
 * and variant's level), then applies the levels just read to the assigned items — each change a movement,
 * exactly as the level poll would. One read serves both, so a sync costs a page request per 250 products.
 */
import { sql } from 'kysely';
import { describeSync, syncCatalog } from './catalog-sync.service.ts';
import type { Progress, StoreJobData, StoreJobDeps } from '../jobs/jobs.service.ts';
import { applyBigCommerceLevels } from '../inventory/level-sync.service.ts';

/** Levels applied per stock change: each holds its items' locks only as long as a page of the level poll does. */
const LEVELS_PER_CHANGE = 250;

/**
 * The level the mirror holds for each active item of an active assignment. Strict items are left to the
 * level poll: a mirrored level may predate the app's own write, and only a read that knows when it began
 * can tell (level-sync.service.ts).
 */
async function mirroredLevels(deps: StoreJobDeps, storeHash: string) {
  const { rows } = await sql<{ itemId: string; level: number }>`
    select i.id as "itemId", case when i.variant_id is null then p.inventory_level else v.inventory_level end as level
    from inventory_items i
    join assignments a on a.store_hash = i.store_hash and a.id = i.assignment_id and a.state = 'active'
    join catalog_products p on p.store_hash = i.store_hash and p.product_id = i.product_id
    left join catalog_variants v on v.store_hash = i.store_hash and v.variant_id = i.variant_id
    where i.store_hash = ${storeHash} and i.retired_at is null and i.strict_since is null
      and (i.variant_id is null or v.variant_id is not null)
    order by i.id`.execute(deps.db);
  return rows.map((r) => ({ itemId: Number(r.itemId), level: r.level }));
}

/** The sync job. */
export async function runStoreSync(deps: StoreJobDeps, data: StoreJobData, progress: Progress): Promise<string> {
  const { storeHash } = data;
  const connection = await deps.gateway.connect(storeHash, { priority: 'background' });
  const summary = await syncCatalog(deps.db, connection.catalog, storeHash, data.jobId, progress);
  // A variant's purchasing_disabled or a product's availability read anew changes what the storefront answers:
  // its cached answers go now, not only as the job ends (store-jobs.worker.ts), since applying the levels may be long.
  await deps.effects.changed(storeHash, []);
  const levels = await mirroredLevels(deps, storeHash);
  await progress.setTotal(summary.products + levels.length, `Applying the levels of ${levels.length} assigned items`);
  const changed: number[] = [];
  for (let i = 0; i < levels.length; i += LEVELS_PER_CHANGE) {
    changed.push(...(await applyBigCommerceLevels(deps, storeHash, levels.slice(i, i + LEVELS_PER_CHANGE))).changed);
  }
  await progress.advance(levels.length);
  return `Synced: ${describeSync(summary)}; ${changed.length} assigned item${changed.length === 1 ? '' : 's'} had a new level in BigCommerce.`;
}
