/** Writes the BackOrder note into orders that took units beyond stock. */
import { Worker } from 'bullmq';
import type { OrderNoteJob } from '../orders/order-note.jobs.ts';
import { writeOrderNote } from '../orders/order-note.service.ts';
import type { WorkerDeps } from './deps.ts';
import { storeWork } from './processors.ts';
import { QUEUE_NAMES } from './queues.ts';
import { NOTE_PATIENCE_MS, type StockFirst } from './stock-first.ts';

/** A note waits while events are being applied in this process, at most its patience (stock-first.ts). */
export function createOrderNotesWorker(deps: WorkerDeps, stock: StockFirst): Worker<OrderNoteJob> {
  return new Worker<OrderNoteJob>(
    QUEUE_NAMES.orderNotes,
    storeWork(async (job) => {
      await stock.quiet(job.timestamp + NOTE_PATIENCE_MS);
      const { storeHash, orderId } = job.data;
      const connection = await deps.gateway.connect(storeHash, { priority: 'background' });
      return writeOrderNote({ db: deps.db, lock: deps.lock, connection }, storeHash, orderId);
    }),
    { connection: deps.connection, prefix: deps.prefix, concurrency: 4 },
  );
}
