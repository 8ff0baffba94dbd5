/** Order statuses 0–14 by id, name and display order (ref §5.4; `order` as in the spec's example). */
export interface OrderStatus {
  id: number;
  name: string;
  description: string;
  order: number;
}

export const ORDER_STATUSES: readonly OrderStatus[] = [
  { id: 0, name: 'Incomplete', order: 0, description: 'The shopper reached the payment page but did not complete the transaction.' },
  { id: 1, name: 'Pending', order: 1, description: 'The customer started checkout but did not complete it.' },
  { id: 2, name: 'Shipped', order: 8, description: 'The order has been shipped; receipt is not confirmed.' },
  { id: 3, name: 'Partially Shipped', order: 6, description: 'Only some items of the order have been shipped.' },
  { id: 4, name: 'Refunded', order: 11, description: 'The seller has refunded the order.' },
  { id: 5, name: 'Cancelled', order: 9, description: 'The seller has cancelled the order.' },
  { id: 6, name: 'Declined', order: 10, description: 'The seller has declined the order, e.g. for lack of payment.' },
  { id: 7, name: 'Awaiting Payment', order: 2, description: 'Checkout is complete; payment is not yet confirmed.' },
  { id: 8, name: 'Awaiting Pickup', order: 5, description: 'The order is pulled and awaits pickup by the customer.' },
  { id: 9, name: 'Awaiting Shipment', order: 4, description: 'The order is packed and awaits the shipping provider.' },
  { id: 10, name: 'Completed', order: 7, description: 'The customer has paid for a digital product and can download it.' },
  { id: 11, name: 'Awaiting Fulfillment', order: 3, description: 'Checkout is complete and payment is confirmed.' },
  { id: 12, name: 'Manual Verification Required', order: 13, description: 'The order is on hold until something is confirmed by hand.' },
  { id: 13, name: 'Disputed', order: 12, description: 'The customer has opened a payment dispute.' },
  { id: 14, name: 'Partially Refunded', order: 14, description: 'The seller has refunded part of the order.' },
];

export const STATUS = {
  incomplete: 0,
  pending: 1,
  shipped: 2,
  partiallyShipped: 3,
  refunded: 4,
  cancelled: 5,
  declined: 6,
  completed: 10,
  awaitingFulfillment: 11,
  partiallyRefunded: 14,
} as const;

export function statusName(id: number): string {
  return ORDER_STATUSES[id]?.name ?? 'Unknown';
}
