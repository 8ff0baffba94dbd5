/**
 * Webhook registration as reconciliation: the app says which scopes it wants delivered where, with which
 * headers, and this makes the store match — creating what is missing, updating what differs, reactivating
 * what BigCommerce deactivated (after 48 h of failed deliveries), and deleting the app's hooks that are
 * no longer wanted. Running it twice changes nothing the second time.
 */
import type { BigCommerceClient } from './client.ts';
import { ValidationError } from './errors.ts';
import type { Hook, HookUpdate } from './hooks.ts';

export interface DesiredWebhooks {
  scopes: readonly string[];
  destination: string;
  headers: Record<string, string>;
  /**
   * Which listed hooks are the app's to manage. BigCommerce lists only hooks created with the app's own
   * client id, so by default all of them are.
   */
  owns?: (hook: Hook) => boolean;
}

export interface ReconcileEntry {
  id: number;
  scope: string;
  /** For an update: the fields that changed. */
  changes?: string[];
}

export interface WebhookReconcileReport {
  created: ReconcileEntry[];
  updated: ReconcileEntry[];
  reactivated: ReconcileEntry[];
  deleted: ReconcileEntry[];
  unchanged: ReconcileEntry[];
}

/** Makes the store's hooks match `desired`; returns what it changed. */
export async function reconcileWebhooks(client: BigCommerceClient, desired: DesiredWebhooks): Promise<WebhookReconcileReport> {
  const report: WebhookReconcileReport = { created: [], updated: [], reactivated: [], deleted: [], unchanged: [] };
  const owns = desired.owns ?? (() => true);
  const existing: Hook[] = [];
  for await (const hook of client.hooks.all()) if (owns(hook)) existing.push(hook);

  const wanted = new Set(desired.scopes);
  const kept = new Set<number>();
  for (const scope of wanted) {
    const candidates = existing.filter((hook) => hook.scope === scope);
    // Prefer the hook already pointing at the destination, then an active one.
    let hook =
      candidates.find((h) => h.destination === desired.destination && h.is_active) ??
      candidates.find((h) => h.destination === desired.destination) ??
      candidates.find((h) => h.is_active) ??
      candidates[0];
    if (!hook) {
      try {
        const created = await client.hooks.create({ scope, destination: desired.destination, is_active: true, headers: desired.headers });
        report.created.push({ id: created.id, scope });
        continue;
      } catch (error) {
        // Another reconciliation (the install's, the nightly one) created it since the list was read:
        // BigCommerce keeps one hook per scope and destination (§6.1) and refuses a second; adopt that one.
        if (!(error instanceof ValidationError)) throw error;
        hook = await hookAt(client, scope, desired.destination, owns);
        if (!hook) throw error;
      }
    }
    kept.add(hook.id);
    const changes = differences(hook, desired);
    if (Object.keys(changes).length === 0) {
      report.unchanged.push({ id: hook.id, scope });
      continue;
    }
    await client.hooks.update(hook.id, changes);
    const changed = Object.keys(changes);
    if (changed.some((field) => field !== 'is_active')) report.updated.push({ id: hook.id, scope, changes: changed });
    if (changes.is_active) report.reactivated.push({ id: hook.id, scope });
  }

  // Leftovers: scopes no longer wanted, and duplicates of a wanted scope.
  for (const hook of existing) {
    if (kept.has(hook.id)) continue;
    await client.hooks.delete(hook.id);
    report.deleted.push({ id: hook.id, scope: hook.scope });
  }
  return report;
}

async function hookAt(client: BigCommerceClient, scope: string, destination: string, owns: (hook: Hook) => boolean): Promise<Hook | undefined> {
  for await (const hook of client.hooks.all({ scope, destination })) if (owns(hook) && hook.scope === scope && hook.destination === destination) return hook;
  return undefined;
}

function differences(hook: Hook, desired: DesiredWebhooks): HookUpdate {
  const changes: HookUpdate = {};
  if (hook.destination !== desired.destination) changes.destination = desired.destination;
  if (!sameHeaders(hook.headers ?? {}, desired.headers)) changes.headers = desired.headers;
  if (!hook.is_active) changes.is_active = true;
  return changes;
}

/** Header names compare without case, as HTTP does (a store may echo them in another case). */
function sameHeaders(a: Record<string, string>, b: Record<string, string>): boolean {
  const lower = (headers: Record<string, string>) => new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const [left, right] = [lower(a), lower(b)];
  return left.size === right.size && [...left].every(([key, value]) => right.get(key) === value);
}
