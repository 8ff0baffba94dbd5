/**
 * A failed job of any queue reaches the log with its store: a selling check or a note that failed would
 * otherwise be only a count in the metrics. A retried attempt is a warning, the last one an error.
 */
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logger.ts';
import { createRedis } from '../../../server/redis.ts';
import { logFailures } from '../../../server/workers/job-failures.ts';
import { testConfig } from '../../helpers/config.ts';

const config = testConfig();
const connection = createRedis(config.redisUrl!, 'worker');
afterAll(() => connection.quit());

/** The JSON lines a logger writes, parsed, and the logger. */
function capturedLog() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } as never });
  return { lines, logger };
}

/** Runs one job on `queueName` whose every attempt throws `error`, its failures logged; returns the lines once `expected` are written. */
async function failingJob(queueName: string, error: Error, job: { name: string; data: object; attempts: number }, expected: number) {
  const { lines, logger } = capturedLog();
  const queue = new Queue(queueName, { connection, prefix: config.queuePrefix });
  const worker = new Worker(
    queueName,
    async (): Promise<void> => {
      throw error;
    },
    { connection, prefix: config.queuePrefix },
  );
  logFailures(worker, logger);
  try {
    await queue.add(job.name, job.data, { attempts: job.attempts });
    await expect.poll(() => lines.length, { timeout: 10_000 }).toBe(expected);
    return lines;
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

describe('failed jobs in the log', () => {
  it('when a job fails on each of its two attempts, then a warning names the first and an error the last, each with the store', async () => {
    const error = new Error('BigCommerce answered 403: the token lacks the products scope');
    const lines = await failingJob('selling', error, { name: 'check', data: { storeHash: 'failstore1', itemId: 7 }, attempts: 2 }, 2);
    expect(lines.map((line) => [line.level, line.msg, line.storeHash, line.attempt, line.attempts])).toEqual([
      [40, 'selling job attempt failed', 'failstore1', 1, 2],
      [50, 'selling job failed on its last attempt', 'failstore1', 2, 2],
    ]);
    expect(lines[1]).toMatchObject({ queue: 'selling', job: 'check', err: { message: error.message } });
  });

  it('when a job fails with an error retrying cannot mend, then that first attempt is logged as its last', async () => {
    const lines = await failingJob(
      'order-notes',
      new UnrecoverableError('the store is uninstalled'),
      { name: 'note', data: { storeHash: 'failstore2' }, attempts: 5 },
      1,
    );
    expect(lines.map((line) => [line.level, line.msg, line.storeHash, line.attempt, line.attempts])).toEqual([
      [50, 'order-notes job failed on its last attempt', 'failstore2', 1, 5],
    ]);
  });

  it('when a worker meets errors of its own, then they are logged as JSON, at most one a minute', () => {
    const { lines, logger } = capturedLog();
    const worker = new Worker('levels', null, { connection, prefix: config.queuePrefix, autorun: false });
    logFailures(worker, logger);
    worker.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    worker.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    expect(lines.map((line) => [line.level, line.msg, line.queue])).toEqual([
      [40, 'levels worker: connect ECONNREFUSED 127.0.0.1:6379 (it retries by itself)', 'levels'],
    ]);
    return worker.close();
  });
});
