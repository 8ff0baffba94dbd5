/**
 * Stock first. An order event's stock change decides when selling stops; the order's note only tells the
 * merchant what was backordered. In a burst the notes (and the update event BigCommerce sends back for each
 * note written) took the CPU the burst's stock changes were waiting for, on a machine the app shares with
 * PostgreSQL and Redis. So a note waits while this process is applying events, and goes at the latest when
 * it has waited its patience since it was asked for: a store that never goes quiet still gets its notes, late.
 * Nothing is dropped or reordered; the work moves to the burst's end.
 */

/** How long a note may wait for events to be applied before it goes anyway (ms since it was asked for). */
export const NOTE_PATIENCE_MS = 10_000;

export interface StockFirst {
  /** Runs an event's work, counted as applying while it runs. */
  applying<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once no event is being applied, or at `deadline` (epoch ms), whichever comes first. */
  quiet(deadline: number): Promise<void>;
}

export function stockFirst(): StockFirst {
  let applying = 0;
  const waiters = new Set<() => void>();
  return {
    async applying(work) {
      applying += 1;
      try {
        return await work();
      } finally {
        applying -= 1;
        if (applying === 0) for (const wake of [...waiters]) wake();
      }
    },
    quiet(deadline) {
      const wait = deadline - Date.now();
      if (applying === 0 || wait <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, wait);
        waiters.add(wake);
      });
    },
  };
}
