import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../../server/db/group-commit.ts';

/** A write that records each group it is given and finishes when told to. */
function controlledWrite() {
  const writes: Array<{ items: number[]; finish(): void; fail(error: Error): void }> = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      writes.push({ items, finish: () => resolve(items.map((n) => `done ${n}`)), fail: reject });
    });
  return { writes, write };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('when calls arrive while a write is in flight, then they go together in the next write, each resolved with its own result', async () => {
    const { writes, write } = controlledWrite();
    const call = groupCommit(write);
    const first = call(1);
    const waiting = [call(2), call(3), call(4)];
    await settle();
    expect(writes.map((w) => w.items)).toEqual([[1]]);

    writes[0]!.finish();
    expect(await first).toBe('done 1');
    await settle();
    expect(writes.map((w) => w.items)).toEqual([[1], [2, 3, 4]]);
    writes[1]!.finish();
    expect(await Promise.all(waiting)).toEqual(['done 2', 'done 3', 'done 4']);
  });

  it('when a write fails, then each of its calls rejects and the calls after it still go', async () => {
    const { writes, write } = controlledWrite();
    const call = groupCommit(write);
    const first = call(0);
    const failed = [call(1), call(2)].map((p) => p.catch((error: Error) => error.message));
    await settle();
    writes[0]!.finish();
    await settle();
    expect(writes[1]!.items).toEqual([1, 2]);
    writes[1]!.fail(new Error('PostgreSQL is away'));
    expect(await Promise.all(failed)).toEqual(['PostgreSQL is away', 'PostgreSQL is away']);
    const later = call(3);
    await settle();
    writes[2]!.finish();
    expect([await first, await later]).toEqual(['done 0', 'done 3']);
  });

  it('when a write fails one call alone, then that call rejects with its error and its neighbours resolve', async () => {
    const call = groupCommit(async (items: number[]) => items.map((n) => (n === 2 ? new Error(`refused ${n}`) : `done ${n}`)));
    const results = await Promise.all([1, 2, 3].map((n) => call(n).catch((error: Error) => error.message)));
    expect(results).toEqual(['done 1', 'refused 2', 'done 3']);
  });

  it('when calls belong to different groups, then no write mixes them, and each group has its own write in flight', async () => {
    const { writes, write } = controlledWrite();
    const call = groupCommit(write, { groupOf: (n) => (n % 2 ? 'odd' : 'even') });
    const calls = [1, 2, 3, 4, 5, 6].map(call);
    await settle();
    expect(writes.map((w) => w.items)).toEqual([[1], [2]]);
    writes[0]!.finish();
    writes[1]!.finish();
    await settle();
    expect(writes.slice(2).map((w) => w.items)).toEqual([
      [3, 5],
      [4, 6],
    ]);
    for (const w of writes.slice(2)) w.finish();
    expect(await Promise.all(calls)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `done ${n}`));
  });

  it('when a second write may overlap only a crowd, then calls trickling in gather behind the write in flight, and a crowd goes beside it', async () => {
    const { writes, write } = controlledWrite();
    const call = groupCommit(write, { concurrency: 2, overlapFrom: 3 });
    const calls = [1, 2, 3].map(call);
    await settle();
    expect(writes.map((w) => w.items)).toEqual([[1]]);
    calls.push(call(4));
    await settle();
    expect(writes.map((w) => w.items)).toEqual([[1], [2, 3, 4]]);
    calls.push(call(5));
    await settle();
    expect(writes).toHaveLength(2);
    for (const w of writes.splice(0)) w.finish();
    await settle();
    expect(writes.map((w) => w.items)).toEqual([[5]]);
    writes[0]!.finish();
    expect(await Promise.all(calls)).toEqual([1, 2, 3, 4, 5].map((n) => `done ${n}`));
  });

  it('when more calls wait than one write takes, then they are split at the most it takes', async () => {
    const { writes, write } = controlledWrite();
    const call = groupCommit(write, { maxSize: 2, concurrency: 3 });
    const calls = [1, 2, 3, 4, 5].map(call);
    await settle();
    expect(writes.map((w) => w.items)).toEqual([[1], [2], [3]]);
    for (const w of writes.splice(0)) w.finish();
    await settle();
    expect(writes.map((w) => w.items)).toEqual([[4, 5]]);
    writes[0]!.finish();
    expect(await Promise.all(calls)).toHaveLength(5);
  });
});
