/**
 * A pooled connection outlives a lull (server/db/database.ts): the next burst finds its server process, with
 * the statements it prepared and planned, still there.
 */
import net from 'node:net';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDLE_CONNECTION_MS, KEEPALIVE_AFTER_MS, openDatabase, type Database } from '../../../server/db/database.ts';
import { createEmptyDatabase } from '../../helpers/database.ts';

let database: Database | undefined;
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await database?.close();
  database = undefined;
});

async function serverProcess(db: Database['db']): Promise<number> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
  return rows[0]!.pid;
}

describe('pooled connections', () => {
  it('when a connection has been idle for a minute, then the next statement runs on the same server process; after the idle limit, on a new one', async () => {
    database = await openDatabase({ databaseUrl: await createEmptyDatabase(), poolSize: 1 });
    // Only the pool's idle timers are faked: the connection's own I/O runs as it does.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const first = await serverProcess(database.db);

    vi.advanceTimersByTime(60_000);
    const afterLull = await serverProcess(database.db);
    expect(afterLull).toBe(first);

    vi.advanceTimersByTime(IDLE_CONNECTION_MS + 1_000);
    expect(await serverProcess(database.db)).not.toBe(first);
  });

  it('when a connection is opened, then TCP keepalives probe it once idle, so a flow a NAT would forget stays known', async () => {
    const keepAlive = vi.spyOn(net.Socket.prototype, 'setKeepAlive');
    database = await openDatabase({ databaseUrl: await createEmptyDatabase(), poolSize: 1 });
    await serverProcess(database.db);
    expect(keepAlive).toHaveBeenCalledWith(true, KEEPALIVE_AFTER_MS);
  });
});
