/**
 * fast-check arbitraries for webhook deliveries: envelopes as BigCommerce sends them (§6.2), envelopes with
 * one field broken, and anything at all (bytes, JSON of every shape, strings with NUL and lone surrogates).
 */
import fc from 'fast-check';
import type { Envelope } from '../../server/webhooks/envelope.ts';

const lowerAlnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
export const storeHashArb = fc.string({ unit: lowerAlnum, minLength: 1, maxLength: 32 });

const scopeSegment = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'), minLength: 1, maxLength: 20 });
/** `store/order/created`, `store/channel/1/inventory/product/stock_changed`, and the like. */
export const scopeArb = fc.oneof(
  fc.constantFrom(
    'store/order/created',
    'store/order/updated',
    'store/order/statusUpdated',
    'store/product/updated',
    'store/sku/inventory/updated',
    'store/app/uninstalled',
  ),
  fc.array(scopeSegment, { minLength: 1, maxLength: 6 }).map((segments) => `store/${segments.join('/')}`),
);

/** BigCommerce's hash is a SHA-1 in hex; any letters, digits, '.', '_' or '-' are taken. */
export const hashArb = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'abcXYZ019._-'), minLength: 1, maxLength: 128 }),
);

/** Any Unicode code point but NUL (surrogates come only in pairs, as one code point). */
const storableChar = fc.oneof(fc.integer({ min: 1, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff })).map((cp) => String.fromCodePoint(cp));

/** JSON that PostgreSQL's jsonb keeps as sent: any text but NUL, nested as BigCommerce nests (shallowly). */
export const storableJsonArb = fc.jsonValue({ maxDepth: 4, stringUnit: storableChar });

export const dataArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ type: fc.constantFrom('order', 'product', 'sku'), id: fc.nat() }),
  // The parser drops a `__proto__` key of data (zod's guard against prototype pollution); BigCommerce sends none.
  fc.dictionary(
    fc.string({ maxLength: 12 }).filter((key) => key !== '__proto__'),
    storableJsonArb,
    { maxKeys: 6 },
  ),
);

/** A well-formed envelope, as BigCommerce could send it. */
export const envelopeArb: fc.Arbitrary<Envelope> = fc.record({
  scope: scopeArb,
  store_id: fc.oneof(fc.nat().map(String), fc.string({ minLength: 1, maxLength: 64 })),
  data: dataArb,
  hash: hashArb,
  created_at: fc.oneof(fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }), fc.maxSafeNat()),
  producer: storeHashArb.map((hash) => `stores/${hash}`),
});

/** A value that is wrong for `field` (of the wrong kind, empty, or out of range). */
export function wrongValueFor(field: keyof Envelope): fc.Arbitrary<unknown> {
  const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));
  switch (field) {
    case 'scope':
      return fc.oneof(
        notString,
        fc.constant(''),
        fc.string({ minLength: 201, maxLength: 260 }),
        fc.constantFrom('store order', 'store/*', 'store.order.created', 'ordre:é'),
      );
    case 'store_id':
      return fc.oneof(fc.integer(), fc.constant(null), fc.constant(''), fc.string({ minLength: 65, maxLength: 80 }));
    case 'data':
      return fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.array(fc.integer(), { maxLength: 3 }));
    case 'hash':
      return fc.oneof(notString, fc.constant(''), fc.string({ minLength: 129, maxLength: 140 }), fc.constantFrom('a:b', 'a:b:c:d', 'sha 1', 'ha/sh'));
    case 'created_at':
      return fc.oneof(
        fc.constant(-1),
        fc.double({ min: 0.1, max: 1e9, noInteger: true }),
        fc.string(),
        fc.constant(null),
        fc.constant(2 ** 53),
        fc.constant(1e300),
      );
    case 'producer':
      return fc.oneof(
        notString,
        fc.constant('stores/'),
        fc.constant('store/abc'),
        fc.string({ unit: lowerAlnum, minLength: 33, maxLength: 40 }).map((h) => `stores/${h}`),
        fc.constant('stores/ABC'),
      );
  }
}

export const FIELDS = ['scope', 'store_id', 'data', 'hash', 'created_at', 'producer'] as const satisfies ReadonlyArray<keyof Envelope>;

/** A well-formed envelope with one field removed or given a wrong value; says which. */
export const brokenEnvelopeArb = fc.tuple(envelopeArb, fc.constantFrom(...FIELDS), fc.boolean()).chain(([envelope, field, remove]) =>
  (remove ? fc.constant(undefined) : wrongValueFor(field)).map((value) => {
    const broken: Record<string, unknown> = { ...envelope };
    if (value === undefined) delete broken[field];
    else broken[field] = value;
    return { body: broken, field };
  }),
);

/** Strings PostgreSQL cannot keep as sent: NUL, or a lone UTF-16 surrogate. */
export const unstorableStringArb = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ud83d'),
  fc.tuple(fc.string({ maxLength: 5 }), fc.constantFrom('\u0000', '\ud800', '\udc00'), fc.string({ maxLength: 5 })).map((parts) => parts.join('')),
);

/** The envelope as JSON text with arrays nested `depth` levels deep in `data.deep` (built as text: too deep to stringify). */
export function nestedBody(envelope: Envelope, depth: number): string {
  const placeholder = '"__nested__"';
  return JSON.stringify({ ...envelope, data: { type: 'order', id: 1, deep: '__nested__' } }).replace(placeholder, `${'['.repeat(depth)}1${']'.repeat(depth)}`);
}

const separatorish = fc.constantFrom(...'a1:/.-_ *"\\{');

/** Any body at all: raw bytes, any text, any JSON value (with every kind of string), envelopes good and broken. */
export const anyBodyArb: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: 'binary', maxLength: 500 }).map((text) => Buffer.from(text, 'utf8')),
  fc.jsonValue({ stringUnit: 'binary', maxDepth: 5 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8')),
  envelopeArb.map((envelope) => Buffer.from(JSON.stringify(envelope))),
  brokenEnvelopeArb.map(({ body }) => Buffer.from(JSON.stringify(body))),
  // Keys made of separators: what a job id is built from.
  fc
    .tuple(envelopeArb, fc.string({ unit: separatorish, minLength: 1, maxLength: 6 }), fc.string({ unit: separatorish, minLength: 1, maxLength: 6 }))
    .map(([envelope, scope, hash]) => Buffer.from(JSON.stringify({ ...envelope, scope: `store/${scope}`, hash }))),
  fc
    .tuple(envelopeArb, fc.constantFrom('data', 'scope', 'hash'), unstorableStringArb)
    .map(([envelope, field, text]) =>
      Buffer.from(JSON.stringify(field === 'data' ? { ...envelope, data: { ...envelope.data, text } } : { ...envelope, [field]: text })),
    ),
  fc.tuple(envelopeArb, fc.integer({ min: 1, max: 100_000 })).map(([envelope, depth]) => Buffer.from(nestedBody(envelope, depth))),
);
