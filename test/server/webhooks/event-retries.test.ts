/**
 * An event's tries wait out a BigCommerce outage (webhooks.service.ts, EVENT_RETRIES): the delays double
 * from about a second to at most 5 minutes, and twenty tries span at least half an hour whatever the jitter.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_RETRIES, eventRetryDelay } from '../../../server/webhooks/webhooks.service.ts';

const delays = (random: () => number) => Array.from({ length: EVENT_RETRIES.attempts - 1 }, (_, i) => eventRetryDelay(i + 1, random));

describe('an event’s retries', () => {
  it('when an event fails, then its next try comes after about a second, and the waits double up to 5 minutes', () => {
    expect(eventRetryDelay(1, () => 0)).toBe(500);
    expect(eventRetryDelay(1, () => 1)).toBe(1_000);
    expect(eventRetryDelay(2, () => 1)).toBe(2_000);
    expect(Math.max(...delays(() => 1))).toBe(300_000);
  });

  it('when BigCommerce stays away, then an event keeps being tried for at least half an hour, at most an hour, before it is failed', () => {
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(delays(() => 0))).toBeGreaterThanOrEqual(29 * 60_000);
    expect(sum(delays(() => 1))).toBeLessThanOrEqual(60 * 60_000);
  });
});
