/**
 * Properties of the envelope parser (issue 11): whatever a delivery's body holds, the parser answers — an
 * envelope the receiver can record and queue, or a refusal naming what is wrong — and never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jobIdFor, parseEnvelope, type Envelope } from '../../../server/webhooks/envelope.ts';
import { anyBodyArb, brokenEnvelopeArb, envelopeArb, nestedBody, unstorableStringArb } from '../../helpers/webhook-arbitraries.ts';

const bodyOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

describe('the webhook envelope parser', () => {
  it('when any body arrives, then it answers with an envelope or a reason, and never throws', () => {
    fc.assert(
      fc.property(anyBodyArb, (body) => {
        const parsed = parseEnvelope(body);
        if (parsed.ok) expect(parsed.storeHash).toMatch(/^[a-z0-9]{1,32}$/);
        else expect(parsed.reason).toMatch(/\S/);
      }),
      { numRuns: 1_000 },
    );
  });

  it('when a well-formed envelope arrives, then it is accepted as sent, for the store its producer names', () => {
    fc.assert(
      fc.property(envelopeArb, (envelope) => {
        const sent = bodyOf(envelope);
        // What was sent is the JSON text: -0 travels as 0.
        expect(parseEnvelope(sent)).toEqual({ ok: true, envelope: JSON.parse(sent.toString()), storeHash: envelope.producer.slice('stores/'.length) });
      }),
      { numRuns: 500 },
    );
  });

  it('when one field is missing or wrong, then the envelope is refused naming that field', () => {
    fc.assert(
      fc.property(brokenEnvelopeArb, ({ body, field }) => {
        const parsed = parseEnvelope(bodyOf(body));
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.reason).toContain(`${field}:`);
      }),
      { numRuns: 500 },
    );
  });

  it('when a text holds NUL or half a surrogate pair, then the envelope is refused naming where, since PostgreSQL could never record it', () => {
    const placed = fc.tuple(envelopeArb, unstorableStringArb, fc.constantFrom('data value', 'data key', 'deep data', 'scope', 'hash'));
    fc.assert(
      fc.property(placed, ([envelope, text, where]) => {
        const body: Record<string, unknown> = { ...envelope };
        if (where === 'data value') body.data = { ...envelope.data, note: text };
        if (where === 'data key') body.data = { [text]: 1 };
        if (where === 'deep data') body.data = { type: 'order', id: 1, lines: [{ name: text }] };
        if (where === 'scope' || where === 'hash') body[where] = text;
        const parsed = parseEnvelope(bodyOf(body));
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.reason).toContain(where.includes('data') ? 'data' : where);
      }),
      { numRuns: 300 },
    );
  });

  it('when data is nested deeper than any BigCommerce event, then the envelope is refused; shallow data is accepted', () => {
    fc.assert(
      fc.property(envelopeArb, fc.integer({ min: 1, max: 200_000 }), (envelope, depth) => {
        const parsed = parseEnvelope(Buffer.from(nestedBody(envelope, depth)));
        if (depth <= 16) expect(parsed.ok).toBe(true);
        if (depth > 64) expect(parsed).toEqual({ ok: false, reason: expect.stringContaining('data') });
      }),
      { numRuns: 200 },
    );
  });

  it('when two accepted envelopes differ in their event key, then their job ids differ, and no job id holds a colon (BullMQ refuses those)', () => {
    // Small alphabets, so that keys which differ only by a separator come up often.
    const confusable: fc.Arbitrary<Envelope> = fc.record({
      scope: fc.constantFrom('store/a', 'store.a', 'store_a', 'store/a/b', 'store/a.b', 'store/a-b', 'store:a'),
      store_id: fc.constant('1'),
      data: fc.constant({}),
      hash: fc.string({ unit: fc.constantFrom('a', '-', '.', ':', '1'), minLength: 1, maxLength: 4 }),
      created_at: fc.integer({ min: 0, max: 12 }),
      producer: fc.constantFrom('stores/a', 'stores/a1', 'stores/b'),
    });
    fc.assert(
      fc.property(confusable, confusable, (first, second) => {
        const [a, b] = [parseEnvelope(bodyOf(first)), parseEnvelope(bodyOf(second))];
        for (const parsed of [a, b]) if (parsed.ok) expect(jobIdFor(parsed.storeHash, parsed.envelope)).not.toContain(':');
        if (!a.ok || !b.ok) return;
        const sameKey = a.storeHash === b.storeHash && first.scope === second.scope && first.hash === second.hash && first.created_at === second.created_at;
        expect(jobIdFor(a.storeHash, a.envelope) === jobIdFor(b.storeHash, b.envelope)).toBe(sameKey);
      }),
      { numRuns: 2_000 },
    );
  });
});
