/** What the operator sees of every store: install state, the install job, the last reconcile and its fixes, failed webhook events. */
import { sql } from 'kysely';
import { containsPattern } from '../catalog/product-list.repo.ts';
import type { Db } from '../db/database.ts';

export interface StoreOverview {
  storeHash: string;
  name: string;
  status: 'active' | 'uninstalled';
  hasToken: boolean;
  installedAt: Date;
  uninstalledAt: Date | null;
  purgeAfter: Date | null;
  /** The latest install job's status (queued, running, succeeded, failed), or null. */
  installJob: string | null;
  installError: string | null;
  reconcileStartedAt: Date | null;
  reconcileFinishedAt: Date | null;
  reconcileFixes: string[];
  reconcileError: string | null;
  failedEvents: number;
}

/** The stores whose hash or name holds `search`, as typed (every store when empty). */
function matching(search: string) {
  if (!search) return sql``;
  const pattern = containsPattern(search);
  return sql`where s.store_hash ilike ${pattern} or s.name ilike ${pattern}`;
}

/** The stores matching `search`, the most recently installed first (at most `limit`). */
export async function storeOverviews(db: Db, search = '', limit = 500): Promise<StoreOverview[]> {
  const { rows } = await sql<StoreOverview>`
    select s.store_hash as "storeHash", s.name, s.status, s.access_token_ciphertext is not null as "hasToken",
           s.installed_at as "installedAt", s.uninstalled_at as "uninstalledAt", s.purge_after as "purgeAfter",
           j.status as "installJob", j.error as "installError",
           r.started_at as "reconcileStartedAt", r.finished_at as "reconcileFinishedAt",
           coalesce(r.fixes, '{}'::text[]) as "reconcileFixes", r.error as "reconcileError",
           (select count(*)::int from webhook_events e where e.store_hash = s.store_hash and e.status = 'failed') as "failedEvents"
    from stores s
    left join lateral (
      select status, error from jobs where jobs.store_hash = s.store_hash and jobs.kind = 'install' order by id desc limit 1
    ) j on true
    left join lateral (
      select started_at, finished_at, fixes, error from reconcile_runs where reconcile_runs.store_hash = s.store_hash order by started_at desc limit 1
    ) r on true
    ${matching(search)}
    order by s.installed_at desc
    limit ${limit}`.execute(db);
  return rows;
}

/** How many stores match `search`. */
export async function countStores(db: Db, search = ''): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from stores s ${matching(search)}`.execute(db);
  return rows[0]!.n;
}
