/**
 * The envelope BigCommerce posts for every event (reference §6.2), and the key that identifies one
 * delivery: store + scope + hash + created_at. The hash alone repeats for every later event about the
 * same resource, so it must never be the key on its own.
 */
import { z } from 'zod';

export const envelopeSchema = z.object({
  scope: z.string().min(1).max(200),
  store_id: z.string().min(1).max(64),
  data: z.record(z.string(), z.unknown()),
  hash: z.string().min(1).max(128),
  created_at: z.number().int().nonnegative(),
  producer: z.string().regex(/^stores\/[a-z0-9]{1,32}$/, 'must be stores/{store_hash}'),
});

export type Envelope = z.infer<typeof envelopeSchema>;

export type ParsedEnvelope = { ok: true; envelope: Envelope; storeHash: string } | { ok: false; reason: string };

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
  return { ok: true, envelope: parsed.data, storeHash: parsed.data.producer.slice('stores/'.length) };
}

/** BullMQ job id for an event: the event key with characters BullMQ or Redis Cluster dislike replaced. */
export function jobIdFor(storeHash: string, envelope: Pick<Envelope, 'scope' | 'hash' | 'created_at'>): string {
  return `${storeHash}-${envelope.scope.replace(/[^A-Za-z0-9_]/g, '.')}-${envelope.hash}-${envelope.created_at}`;
}
