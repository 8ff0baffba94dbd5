/**
 * Work whose loss leaves the store wrong until the nightly reconcile waits out a BigCommerce outage
 * (outage-retries.ts): a webhook event and a selling check. The delays double from about a second to at most
 * 5 minutes, and twenty tries span at least half an hour whatever the jitter.
 */
import { describe, expect, it } from 'vitest';
import { OUTAGE_RETRIES, outageRetryDelay } from '../../../server/outage-retries.ts';
import { SELLING_RETRIES } from '../../../server/selling/selling.jobs.ts';
import { EVENT_RETRIES } from '../../../server/webhooks/webhooks.service.ts';

const delays = (random: () => number) => Array.from({ length: OUTAGE_RETRIES.attempts - 1 }, (_, i) => outageRetryDelay(i + 1, random));

describe('retries that wait out an outage', () => {
  it('when a try fails, then the next comes after about a second, and the waits double up to 5 minutes', () => {
    expect(outageRetryDelay(1, () => 0)).toBe(500);
    expect(outageRetryDelay(1, () => 1)).toBe(1_000);
    expect(outageRetryDelay(2, () => 1)).toBe(2_000);
    expect(Math.max(...delays(() => 1))).toBe(300_000);
  });

  it('when BigCommerce stays away, then the work keeps being tried for at least half an hour, at most an hour, before it is failed', () => {
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(delays(() => 0))).toBeGreaterThanOrEqual(29 * 60_000);
    expect(sum(delays(() => 1))).toBeLessThanOrEqual(60 * 60_000);
  });

  it('when a webhook event or a selling check fails, then it is retried so', () => {
    expect(EVENT_RETRIES).toEqual(OUTAGE_RETRIES);
    expect(SELLING_RETRIES).toEqual(OUTAGE_RETRIES);
  });
});
