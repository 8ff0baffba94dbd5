/**
 * Webhook events as BigCommerce sends them (ref §6.2): the envelope, its hash, and which hook scopes
 * (wildcards included) receive which event.
 */
import { createHash, randomUUID } from 'node:crypto';

export interface WebhookPayload {
  scope: string;
  store_id: string;
  data: Record<string, unknown>;
  hash: string;
  created_at: number;
  producer: string;
}

/** One event fired by a store, whether or not any hook receives it. */
export interface SandboxEvent {
  /** Unique per event, kept across retries and duplicates (the Standard Webhooks `webhook-id`). */
  id: string;
  storeHash: string;
  firedAt: number;
  payload: WebhookPayload;
}

/** The event scopes the sandbox fires (ref §6.4). */
export const SCOPES = [
  'store/product/created',
  'store/product/updated',
  'store/product/deleted',
  'store/product/inventory/updated',
  'store/product/inventory/order/updated',
  'store/sku/created',
  'store/sku/updated',
  'store/sku/deleted',
  'store/sku/inventory/updated',
  'store/sku/inventory/order/updated',
  'store/order/created',
  'store/order/updated',
  'store/order/statusUpdated',
  'store/order/archived',
  'store/order/refund/created',
  'store/app/uninstalled',
] as const;

export type Scope = (typeof SCOPES)[number];

/** Builds an event; `hash` is the SHA-1 of the JSON of `data`, so later events about the same resource repeat it (ref §6.2). */
export function createEvent(store: { hash: string; id: string }, scope: Scope, data: Record<string, unknown>, now: number): SandboxEvent {
  return {
    id: `msg_${randomUUID()}`,
    storeHash: store.hash,
    firedAt: now,
    payload: {
      scope,
      store_id: store.id,
      data,
      hash: createHash('sha1').update(JSON.stringify(data)).digest('hex'),
      created_at: Math.floor(now / 1000),
      producer: `stores/${store.hash}`,
    },
  };
}

/** Whether a hook registered for `hookScope` (maybe `store/order/*`) receives `scope` (ref §6.1 wildcards). */
export function scopeMatches(hookScope: string, scope: string): boolean {
  if (hookScope === scope) return true;
  if (!hookScope.endsWith('/*')) return false;
  return scope.startsWith(hookScope.slice(0, -1));
}

/** Whether a scope may be registered: a known scope, or a wildcard that covers at least one. */
export function isRegistrableScope(scope: string): boolean {
  if (scope.endsWith('/*')) return SCOPES.some((known) => scopeMatches(scope, known));
  return (SCOPES as readonly string[]).includes(scope) || /^store\/[a-z_]+(\/[A-Za-z_*]+)+$/.test(scope);
}
