import { describe, expect, it } from 'vitest';
import { NOTE_MARKER, withBackorderNote } from '../../../server/orders/order-note.ts';

const lines = [
  { productName: 'Blue mug', sku: 'MUG-B', backordered: 2, eta: '2026-12-24' },
  { productName: 'Tea', sku: '', backordered: 1, eta: null },
  { productName: 'Spoon', sku: 'SP', backordered: 0, eta: null },
];

describe('the order note', () => {
  it('when an order has backordered lines, then the message and each backordered product are appended below the notes', () => {
    expect(withBackorderNote('Gift wrap please', 'This order contains backordered items:', lines)).toBe(
      [
        'Gift wrap please',
        '',
        NOTE_MARKER,
        'This order contains backordered items:',
        '• Blue mug (SKU MUG-B): 2 backordered, expected 2026-12-24',
        '• Tea: 1 backordered',
      ].join('\n'),
    );
  });

  it('when the note is already there, then writing again is a no-op', () => {
    const once = withBackorderNote('', 'Backordered:', lines)!;
    expect(withBackorderNote(once, 'Backordered:', lines)).toBeUndefined();
  });

  it('when nothing is backordered, then there is no note', () => {
    expect(withBackorderNote('', 'Backordered:', [lines[2]!])).toBeUndefined();
  });
});
