/** The order events' handlers as the webhooks worker runs them, over fakes that record what they do. */
import type { Queue } from 'bullmq';
import type { BigCommerceGateway, OrderSnapshot, StoreConnection } from '../../server/bigcommerce/index.ts';
import type { Db } from '../../server/db/database.ts';
import { orderEventHandlers } from '../../server/orders/order-events.handler.ts';
import { recordingStatements } from './database.ts';
import { recordingEffects } from './inventory.ts';
import { webhookEnvelope } from './webhooks.ts';

/**
 * The handlers over `db`, BigCommerce answering `read(orderId)` for the order, recording the statements they run,
 * the items they ask selling checks for and the note jobs they ask for; `deliver` hands them one event.
 */
export function recordedOrderHandlers(db: Db, read: (orderId: number) => OrderSnapshot | undefined) {
  const recording = recordingStatements(db);
  const { effects, checked } = recordingEffects();
  const notesAsked: unknown[] = [];
  const handlers = orderEventHandlers({
    db: recording.db,
    gateway: { connect: async () => ({ order: async (id: number) => read(id) }) as unknown as StoreConnection } as Pick<BigCommerceGateway, 'connect'>,
    effects,
    queues: { orderNotes: { add: async (_name: string, data: unknown) => void notesAsked.push(data) } as unknown as Queue },
  });
  const deliver = (storeHash: string, scope: string, orderId: number) =>
    handlers[scope]!({
      eventId: 0,
      storeHash,
      envelope: { ...webhookEnvelope(storeHash, scope, { type: 'order', id: orderId }), data: { type: 'order', id: orderId } },
    });
  return { deliver, statements: recording.statements, checked, notesAsked };
}
