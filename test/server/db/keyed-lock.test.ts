import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../server/db/database.ts';
import { keyedLock } from '../../../server/db/keyed-lock.ts';
import { createTestDatabase } from '../../helpers/database.ts';

const opened: Database[] = [];
beforeAll(async () => {
  opened.push(await openDatabase({}), await createTestDatabase({ poolSize: 6 }));
});
afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
});

describe.each(['pglite', 'postgres'] as const)('keyed lock on %s', (engine) => {
  it('when work for one key overlaps, then it runs one at a time, while other keys run alongside', async () => {
    const lock = keyedLock(opened.find((d) => d.engine === engine)!);
    const events: string[] = [];
    const work = (key: string, name: string) =>
      lock.run(key, async () => {
        events.push(`start ${name}`);
        // Long enough that b1 starts while a1 still holds its lock on a loaded machine.
        await new Promise((resolve) => setTimeout(resolve, 250));
        events.push(`end ${name}`);
      });
    await Promise.all([work('a', 'a1'), work('a', 'a2'), work('b', 'b1')]);
    const a = events.filter((e) => e.endsWith('a1') || e.endsWith('a2'));
    expect([a[0]!.slice(0, 5), a[1]!.slice(0, 3)]).toEqual(['start', 'end']);
    expect(events.indexOf('start b1')).toBeLessThan(events.indexOf('end a1'));
  });
});
