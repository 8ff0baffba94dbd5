/** Writes the BackOrder note into orders that took units beyond stock. */
import { Worker } from 'bullmq';
import type { OrderNoteJob } from '../orders/order-note.jobs.ts';
import { writeOrderNote } from '../orders/order-note.service.ts';
import type { WorkerDeps } from './deps.ts';
import { storeWork } from './processors.ts';
import { QUEUE_NAMES } from './queues.ts';

export function createOrderNotesWorker(deps: WorkerDeps): Worker<OrderNoteJob> {
  return new Worker<OrderNoteJob>(
    QUEUE_NAMES.orderNotes,
    storeWork(async (job) => {
      const { storeHash, orderId } = job.data;
      const connection = await deps.gateway.connect(storeHash, { priority: 'background' });
      return writeOrderNote({ db: deps.db, lock: deps.lock, connection }, storeHash, orderId);
    }),
    { connection: deps.connection, prefix: deps.prefix, concurrency: 4 },
  );
}
