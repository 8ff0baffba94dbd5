/**
 * The BackOrder note written into an order (staff notes, or the customer-visible message if the store
 * chose so): the store's message and the backordered products. Written once: the marker line makes a
 * repeat a no-op, even when two workers read the order at the same time and both try.
 */
export const NOTE_MARKER = '— BackOrder —';

export interface NoteLine {
  productName: string;
  sku: string;
  backordered: number;
  /** YYYY-MM-DD or null (unknown). */
  eta: string | null;
}

/** The note text, without the existing notes. */
export function noteText(message: string, lines: NoteLine[]): string {
  const items = lines.map((line) => {
    const sku = line.sku ? ` (SKU ${line.sku})` : '';
    const eta = line.eta ? `, expected ${line.eta}` : '';
    return `• ${line.productName}${sku}: ${line.backordered} backordered${eta}`;
  });
  return [NOTE_MARKER, message, ...items].join('\n');
}

/** The notes with the BackOrder note appended, or undefined when it is already there or nothing is backordered. */
export function withBackorderNote(existing: string, message: string, lines: NoteLine[]): string | undefined {
  if (existing.includes(NOTE_MARKER)) return undefined;
  const backordered = lines.filter((line) => line.backordered > 0);
  if (backordered.length === 0) return undefined;
  const text = noteText(message, backordered);
  return existing.trim() ? `${existing.trimEnd()}\n\n${text}` : text;
}
