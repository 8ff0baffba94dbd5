/**
 * The short variant of `npm run soak`'s webhooks part (soak/webhooks.soak.ts, the same code at a small
 * load): `npm start` in its own process receives the sandbox store's events for 150 orders, signed as
 * BigCommerce signs them and repeated, at 100 deliveries a second for 5 s. All must be acknowledged and
 * the stock must be exactly what the orders imply.
 */
import { describe, expect, it } from 'vitest';
import type { BenchContext } from '../../bench/lib.ts';
import { webhooksSoak } from '../../soak/webhooks.soak.ts';

describe('webhooks under load', () => {
  it('when 500 deliveries of 150 orders’ events arrive at 100 a second, then every one is acknowledged and the stock is exact', async () => {
    const figures = new Map<string, number>();
    const context: BenchContext = {
      figure: (name, value) => void figures.set(name, value),
      services: async () => ({ databaseUrl: process.env.DATABASE_URL!, redisUrl: process.env.REDIS_URL! }),
      ownServices: () => Promise.reject(new Error('not needed')),
      remainingMs: () => 110_000,
    };
    await webhooksSoak({ rate: 100, seconds: 5, orders: 150 }).run(context);
    expect(figures.get('soak.webhooks.deliveries')).toBe(500);
    expect(figures.get('soak.webhooks.events')).toBeGreaterThanOrEqual(150);
    for (const name of ['unacknowledged', 'lost_units', 'doubled_units', 'stock_off_units', 'lines_off_items']) {
      expect(figures.get(`soak.webhooks.${name}`), name).toBe(0);
    }
    expect(figures.get('soak.webhooks.drain_s')).toBeGreaterThanOrEqual(0);
  }, 120_000);
});
