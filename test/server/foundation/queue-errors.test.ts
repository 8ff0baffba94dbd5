/**
 * While Redis is away the queues' connection errors reach the log as JSON lines through the app's logger —
 * one when the connection fails and one when it is back — not BullMQ's stack blocks on stderr for every
 * queue at every reconnect attempt. Redis is reached through a TCP relay of this test's own, closed to make
 * the outage and opened again to end it.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../server/logger.ts';
import { createRedis, waitUntilReady } from '../../../server/redis.ts';
import { createQueues } from '../../../server/workers/queues.ts';
import { testConfig } from '../../helpers/config.ts';

const config = testConfig();
const target = new URL(config.redisUrl!);

/** A relay to the test's Redis on `port` (0: any); `close` ends every connection through it. */
async function relay(port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

describe('queue errors in the log', () => {
  it('when Redis goes away and comes back, then the queues log one JSON line for the failure and one for the recovery, and nothing on stderr', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } as never });
    let open = await relay();
    const url = `redis://127.0.0.1:${open.port}`;
    const connection = createRedis(url, 'producer', 'queue-errors-test');
    await waitUntilReady(connection, url);
    const queues = createQueues(connection, config.queuePrefix, logger);
    try {
      // Reading the job schedulers opens the queue's scheduler, whose errors BullMQ hands to the queue: with no
      // listener there, it printed each one (as the workers' housekeeping queue did at every reconnect attempt).
      await queues.housekeeping.getJobSchedulers();
      const stderr = vi.spyOn(console, 'error');

      await open.close();
      // ioredis tries again every 100 ms, then every 200 ms …: a dozen attempts, each heard by all seven queues.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(connection.status).not.toBe('ready');
      expect(stderr).not.toHaveBeenCalled();
      expect(lines.map((line) => [line.level, line.connection])).toEqual([[40, 'queue-errors-test']]);
      expect(lines[0]!.msg).toMatch(/^queues: .* \(the connection retries by itself\)$/);

      open = await relay(open.port);
      await expect.poll(() => lines.length, { timeout: 10_000 }).toBe(2);
      expect(lines[1]).toMatchObject({ level: 30, connection: 'queue-errors-test', msg: expect.stringMatching(/^queues: Redis connection back after \d+ s$/) });
      expect(await queues.webhooks.getJobCounts()).toBeDefined();
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      await queues.close();
      connection.disconnect();
      await open.close();
    }
  }, 30_000);
});
