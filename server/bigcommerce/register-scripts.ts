/**
 * Script Manager registration as reconciliation, keyed by script name: create what is missing, update
 * the fields that differ from what is wanted, delete the app's scripts that are no longer wanted (and
 * duplicates of a name). An app may own at most 10 scripts, so leftovers matter.
 */
import type { BigCommerceClient } from './client.ts';
import type { Script, ScriptFields, ScriptUpdate } from './scripts.ts';

export interface DesiredScripts {
  scripts: readonly ScriptFields[];
  /** Which listed scripts are the app's to manage; by default all (BigCommerce lists only the app's own). */
  owns?: (script: Script) => boolean;
}

export interface ScriptReconcileEntry {
  uuid: string;
  name: string;
  /** For an update: the fields that changed. */
  changes?: string[];
}

export interface ScriptReconcileReport {
  created: ScriptReconcileEntry[];
  updated: ScriptReconcileEntry[];
  deleted: ScriptReconcileEntry[];
  unchanged: ScriptReconcileEntry[];
}

/** Makes the store's scripts match `desired`; returns what it changed. */
export async function reconcileScripts(client: BigCommerceClient, desired: DesiredScripts): Promise<ScriptReconcileReport> {
  const names = desired.scripts.map((script) => script.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new Error(`Two desired scripts are named "${duplicate}"; script names must be unique`);

  const report: ScriptReconcileReport = { created: [], updated: [], deleted: [], unchanged: [] };
  const owns = desired.owns ?? (() => true);
  const existing: Script[] = [];
  for await (const script of client.content.scripts.all()) if (owns(script)) existing.push(script);

  const kept = new Set<string>();
  for (const wanted of desired.scripts) {
    const current = existing.find((script) => script.name === wanted.name);
    if (!current) {
      const created = await client.content.scripts.create(wanted);
      report.created.push({ uuid: created.uuid, name: wanted.name });
      continue;
    }
    kept.add(current.uuid);
    const changes = differences(current, wanted);
    const changed = Object.keys(changes);
    if (changed.length === 0) {
      report.unchanged.push({ uuid: current.uuid, name: wanted.name });
      continue;
    }
    await client.content.scripts.update(current.uuid, changes);
    report.updated.push({ uuid: current.uuid, name: wanted.name, changes: changed });
  }

  for (const script of existing) {
    if (kept.has(script.uuid)) continue;
    await client.content.scripts.delete(script.uuid);
    report.deleted.push({ uuid: script.uuid, name: script.name });
  }
  return report;
}

/** The wanted fields whose values differ from the script's (fields not given are left alone). */
function differences(current: Script, wanted: ScriptFields): ScriptUpdate {
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(wanted)) {
    if (value === undefined) continue;
    if (JSON.stringify(current[field]) !== JSON.stringify(value)) changes[field] = value;
  }
  return changes as ScriptUpdate;
}
