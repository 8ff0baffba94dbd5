/**
 * The envelope BigCommerce posts for every event (reference §6.2), and the key that identifies one
 * delivery: store + scope + hash + created_at. The hash alone repeats for every later event about the
 * same resource, so it must never be the key on its own.
 */
import { z } from 'zod';

// The scope and hash go into the event's job id (jobIdFor): their characters keep it a valid BullMQ id (no
// colon) and keep two different events from sharing one. BigCommerce's are `store/order/created` and hex.
export const envelopeSchema = z.object({
  scope: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_/]+$/, "must be letters, digits, '_' and '/'"),
  store_id: z.string().min(1).max(64),
  data: z.record(z.string(), z.unknown()),
  hash: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_.-]+$/, "must be letters, digits, '.', '_' or '-'"),
  created_at: z.number().int().nonnegative(),
  producer: z.string().regex(/^stores\/[a-z0-9]{1,32}$/, 'must be stores/{store_hash}'),
});

export type Envelope = z.infer<typeof envelopeSchema>;

export type ParsedEnvelope = { ok: true; envelope: Envelope; storeHash: string } | { ok: false; reason: string };

/** Deeper than any event's data goes; far short of where JSON.stringify or PostgreSQL would give up. */
const MAX_DEPTH = 64;

/** NUL, or half of a UTF-16 surrogate pair: text that PostgreSQL's jsonb refuses. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What in a field PostgreSQL could not record, if anything. Such a delivery must be refused (400): a 503
 * would have BigCommerce retry, for two days, a delivery that can never be recorded.
 */
function unstorable(value: unknown): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: node, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) return `nested more than ${MAX_DEPTH} levels deep`;
    if (typeof node === 'string' && UNSTORABLE_TEXT.test(node)) return 'a text holds a NUL character or half a surrogate pair';
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, child] of Object.entries(node)) {
      if (UNSTORABLE_TEXT.test(key)) return 'a name holds a NUL character or half a surrogate pair';
      stack.push({ value: child, depth: depth + 1 });
    }
  }
  return undefined;
}

/** Parses a delivery's raw body; says what is wrong with a malformed one. */
export function parseEnvelope(rawBody: Buffer): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
  }
  for (const [field, value] of Object.entries(parsed.data)) {
    const problem = unstorable(value);
    if (problem) return { ok: false, reason: `${field}: ${problem}` };
  }
  return { ok: true, envelope: parsed.data, storeHash: parsed.data.producer.slice('stores/'.length) };
}

/** BullMQ job id for an event: the event key with characters BullMQ or Redis Cluster dislike replaced. */
export function jobIdFor(storeHash: string, envelope: Pick<Envelope, 'scope' | 'hash' | 'created_at'>): string {
  return `${storeHash}-${envelope.scope.replace(/[^A-Za-z0-9_]/g, '.')}-${envelope.hash}-${envelope.created_at}`;
}
