/** Asking for an order's BackOrder note. At most one write per order waits, behind one that runs. */
import type { Queue } from 'bullmq';

export interface OrderNoteJob {
  storeHash: string;
  orderId: number;
}

/** Asks for the order's note (once: a write already waiting covers it). */
export async function queueOrderNote(queue: Queue, storeHash: string, orderId: number): Promise<void> {
  const job: OrderNoteJob = { storeHash, orderId };
  await queue.add('note', job, { deduplication: { id: `note-${storeHash}-${orderId}`, keepLastIfActive: true } });
}
