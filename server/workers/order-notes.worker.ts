/** Writes the BackOrder note into orders that took units beyond stock. */
import { Worker } from 'bullmq';
import { writeOrderNote } from '../orders/order-note.service.ts';
import { getSettings } from '../settings/settings.service.ts';
import type { WorkerDeps } from './deps.ts';
import { QUEUE_NAMES } from './queues.ts';
import { delayWhenRateLimited } from './rate-limited.ts';

export interface OrderNoteJob {
  storeHash: string;
  orderId: number;
}

export function createOrderNotesWorker(deps: WorkerDeps): Worker<OrderNoteJob> {
  return new Worker<OrderNoteJob>(
    QUEUE_NAMES.orderNotes,
    delayWhenRateLimited(async (job) => {
      const { storeHash, orderId } = job.data;
      const client = await deps.clientFor(storeHash);
      if (!client) return 'store-not-installed';
      return writeOrderNote({ db: deps.db, lock: deps.lock, client }, await getSettings(deps.db, storeHash), storeHash, orderId);
    }),
    { connection: deps.connection, prefix: deps.prefix, concurrency: 4 },
  );
}
