/**
 * Group commit: callers that arrive while a write of their group is in flight wait for it to finish and
 * then go together, in one write. A lone caller goes at once, so a quiet moment pays no delay; under load
 * one statement (one transaction, one lock) does the work of many, and waiters hold no database connection.
 */

export interface GroupCommitOptions<T> {
  /** Which group a call belongs to (e.g. its store); calls of different groups never share a write. Default: one group. */
  groupOf?: (item: T) => string;
  /** At most this many writes of one group in flight (1: the group's writes follow one another). */
  concurrency?: number;
  /**
   * A write goes beside one already in flight only once this many calls wait for it (default 1). While calls
   * trickle in, they gather behind the write in flight, as with a concurrency of 1; a crowd goes at once.
   */
  overlapFrom?: number;
  /** At most this many calls in one write. */
  maxSize?: number;
}

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

interface Group<T, R> {
  waiting: Array<Waiting<T, R>>;
  inFlight: number;
}

/**
 * Wraps `write` (given the calls of one group, in arrival order; resolves with one result per call, in the
 * same order) so that each call resolves with its own result. A write that throws rejects each of its calls;
 * a write that fails one call alone gives an Error as that call's result, and the call rejects with it.
 */
export function groupCommit<T, R>(write: (items: T[]) => Promise<Array<R | Error>>, options: GroupCommitOptions<T> = {}): (item: T) => Promise<R> {
  const { groupOf = () => '', concurrency = 1, overlapFrom = 1, maxSize = 500 } = options;
  const mayWrite = (group: Group<T, R>) => group.inFlight < concurrency && group.waiting.length >= (group.inFlight === 0 ? 1 : overlapFrom);
  const groups = new Map<string, Group<T, R>>();

  const run = (key: string, group: Group<T, R>) => {
    while (mayWrite(group)) {
      const batch = group.waiting.splice(0, maxSize);
      group.inFlight++;
      void write(batch.map((w) => w.item))
        .then(
          (results) => {
            if (results.length !== batch.length) throw new Error(`group commit: ${results.length} results for ${batch.length} calls`);
            batch.forEach((w, i) => {
              const result = results[i]!;
              if (result instanceof Error) w.reject(result);
              else w.resolve(result);
            });
          },
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .catch((error: unknown) => batch.forEach((w) => w.reject(error)))
        .finally(() => {
          group.inFlight--;
          if (group.waiting.length > 0) run(key, group);
          else if (group.inFlight === 0) groups.delete(key);
        });
    }
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      const key = groupOf(item);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { waiting: [], inFlight: 0 }));
      group.waiting.push({ item, resolve, reject });
      run(key, group);
    });
}
