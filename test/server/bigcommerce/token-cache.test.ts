/**
 * The stores' tokens a process keeps (server/bigcommerce/token-cache.ts): read once, forgotten by every process
 * when a store's token changes, never kept while announcements could be missed. Two caches on one Redis stand for
 * two processes of a deployment.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN_TTL_MS, tokenCache, type TokenCache } from '../../../server/bigcommerce/token-cache.ts';
import { createLogger } from '../../../server/logger.ts';
import { createRedis, waitUntilReady, type Redis } from '../../../server/redis.ts';

const url = process.env.REDIS_URL!;
const logger = createLogger({ level: 'silent' });
const opened: Redis[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((redis) => redis.quit().catch(() => redis.disconnect())));
});

async function connection(role: 'producer' | 'worker'): Promise<Redis> {
  const redis = createRedis(url, role);
  opened.push(redis);
  await waitUntilReady(redis, url);
  return redis;
}

/** The stores' tokens as the database holds them, and which rows a process read (a probe store's apart). */
function storeRows() {
  const tokens = new Map<string, string>([['probe', 'probe-token']]);
  const reads: string[] = [];
  let probes = 0;
  const read = async (storeHash: string) => {
    if (storeHash === 'probe') probes++;
    else reads.push(storeHash);
    const token = tokens.get(storeHash);
    if (!token) throw new Error(`store ${storeHash} is not installed`);
    return token;
  };
  return { tokens, reads, read, probes: () => probes };
}

/** One process's cache, once it listens (its subscription is made in the background): it then keeps a token read. */
async function processCache(
  prefix: string,
  rows: ReturnType<typeof storeRows>,
  options: { now?: () => number; read?: (storeHash: string) => Promise<string> } = {},
): Promise<{ cache: TokenCache; subscriber: Redis }> {
  const subscriber = await connection('worker');
  const cache = tokenCache({
    read: options.read ?? rows.read,
    redis: await connection('producer'),
    subscriber,
    prefix,
    logger,
    ...(options.now ? { now: options.now } : {}),
  });
  await expect
    .poll(async () => {
      await cache.tokenFor('probe');
      const before = rows.probes();
      await cache.tokenFor('probe');
      return rows.probes() === before;
    })
    .toBe(true);
  return { cache, subscriber };
}

describe('the stores’ tokens a process keeps', () => {
  it('when a store’s token is asked for again and again, then it is read once, and again once a minute has passed', async () => {
    const rows = storeRows();
    rows.tokens.set('s1', 'token-1');
    let clock = Date.now();
    const { cache } = await processCache(`t-${randomUUID()}`, rows, { now: () => clock });
    for (let i = 0; i < 5; i++) expect(await cache.tokenFor('s1')).toBe('token-1');
    expect(rows.reads).toEqual(['s1']);
    clock += TOKEN_TTL_MS + 1;
    expect(await cache.tokenFor('s1')).toBe('token-1');
    expect(rows.reads).toEqual(['s1', 's1']);
  });

  it('when one process forgets a store (installed again: a new token), then it reads the new token at once, and the other process too', async () => {
    const prefix = `t-${randomUUID()}`;
    const rows = storeRows();
    rows.tokens.set('s2', 'old');
    const one = await processCache(prefix, rows);
    const other = await processCache(prefix, rows);
    expect(await one.cache.tokenFor('s2')).toBe('old');
    expect(await other.cache.tokenFor('s2')).toBe('old');

    rows.tokens.set('s2', 'new');
    await one.cache.forget('s2');
    expect(await one.cache.tokenFor('s2')).toBe('new');
    await expect.poll(() => other.cache.tokenFor('s2')).toBe('new');
  });

  it('when the store is not installed (uninstalled: its token erased), then nothing is kept and every call asks again', async () => {
    const rows = storeRows();
    const { cache } = await processCache(`t-${randomUUID()}`, rows);
    await expect(cache.tokenFor('gone')).rejects.toThrow('not installed');
    await expect(cache.tokenFor('gone')).rejects.toThrow('not installed');
    expect(rows.reads).toEqual(['gone', 'gone']);
  });

  it('when a store is forgotten while its row is being read, then the token read is used but not kept', async () => {
    const rows = storeRows();
    rows.tokens.set('s3', 'before');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowRead = async (storeHash: string) => {
      const token = await rows.read(storeHash);
      if (storeHash === 's3' && rows.reads.length === 1) await gate;
      return token;
    };
    const { cache } = await processCache(`t-${randomUUID()}`, rows, { read: slowRead });
    const reading = cache.tokenFor('s3');
    rows.tokens.set('s3', 'after');
    await cache.forget('s3');
    release();
    expect(await reading).toBe('before');
    expect(await cache.tokenFor('s3')).toBe('after');
    expect(rows.reads).toEqual(['s3', 's3']);
  });

  it('when the process’s subscription is cut and made again, then what it kept is dropped (announcements meanwhile were lost)', async () => {
    const rows = storeRows();
    rows.tokens.set('s4', 'token-4');
    const { cache, subscriber } = await processCache(`t-${randomUUID()}`, rows);
    await cache.tokenFor('s4');
    subscriber.disconnect(true);
    await once(subscriber, 'ready');
    await cache.tokenFor('s4');
    expect(rows.reads).toEqual(['s4', 's4']);
  });

  it('when a process has no subscriber (a command), then every call reads the store’s row', async () => {
    const rows = storeRows();
    rows.tokens.set('s5', 'token-5');
    const cache = tokenCache({ read: rows.read, prefix: `t-${randomUUID()}`, logger });
    await cache.tokenFor('s5');
    await cache.tokenFor('s5');
    expect(rows.reads).toEqual(['s5', 's5']);
  });
});
