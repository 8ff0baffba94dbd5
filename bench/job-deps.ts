/** What the import bench's jobs run with: the database, and nothing after a commit (no queue, no BigCommerce). */
import type { Db } from '../server/db/database.ts';
import type { StoreJobDeps } from '../server/jobs/jobs.service.ts';
import { createLogger } from '../server/logger.ts';

/** Job deps on `db` alone: no gateway or config (an import never calls BigCommerce), effects that do nothing. */
export function quietJobDeps(db: Db): StoreJobDeps {
  return {
    db,
    config: undefined as never,
    gateway: undefined as never,
    lock: undefined as never,
    logger: createLogger({ level: 'silent' }),
    effects: { changed: async () => {}, check: async () => {}, writeLevels: async () => {} },
  };
}
