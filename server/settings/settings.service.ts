/** A store's settings: defaults merged with what the merchant saved; changes validated field by field. */
import type { Db } from '../db/database.ts';
import { validationError } from '../errors.ts';
import { findOverrides, lockOverrides, saveOverrides } from './settings.repo.ts';
import { settingsSchema, type Settings } from './settings.schema.ts';

type Patch = { [key: string]: unknown };

function isObject(value: unknown): value is Patch {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `patch` into `base`, object by object; anything else in the patch replaces. */
export function deepMerge(base: Patch, patch: Patch): Patch {
  const merged: Patch = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    merged[key] = isObject(value) && isObject(base[key]) ? deepMerge(base[key], value) : value;
  }
  return merged;
}

/** The leaves of `patch` whose values differ from `current`'s. */
export function changedOnly(patch: Patch, current: Patch): Patch {
  const changed: Patch = {};
  for (const [key, value] of Object.entries(patch)) {
    if (isObject(value) && isObject(current[key])) {
      const inner = changedOnly(value, current[key]);
      if (Object.keys(inner).length > 0) changed[key] = inner;
    } else if (JSON.stringify(value) !== JSON.stringify(current[key])) {
      changed[key] = value;
    }
  }
  return changed;
}

/** The store's settings. A stored value that no longer validates falls back to its default. */
export async function getSettings(db: Db, storeHash: string): Promise<Settings> {
  return settingsFrom(await findOverrides(db, storeHash));
}

/** The store's "selling stopped" message as it is now: what BigCommerce is to show on a variant whose selling the app stopped. */
export async function sellingStoppedMessage(db: Db, storeHash: string): Promise<string> {
  return (await getSettings(db, storeHash)).inventory.sellingStoppedMessage;
}

/** Settings from the overrides a merchant saved (none: the defaults); a value that no longer validates falls back to its default. */
export function settingsFrom(overrides: Patch | null): Settings {
  return validated(overrides ?? {}).settings;
}

/** The overrides without the values that no longer validate, and the settings they make. */
function validated(stored: Patch): { overrides: Patch; settings: Settings } {
  const parsed = settingsSchema.safeParse(stored);
  if (parsed.success) return { overrides: stored, settings: parsed.data };
  const overrides = dropInvalid(
    stored,
    parsed.error.issues.map((i) => i.path),
  );
  return { overrides, settings: settingsSchema.parse(overrides) };
}

/**
 * Applies a partial change; every invalid field is reported at once and nothing is saved. Under the settings'
 * row lock, so that two changes at once both count.
 */
export async function updateSettings(db: Db, storeHash: string, patch: Patch): Promise<Settings> {
  return db.transaction().execute(async (trx) => {
    const { overrides } = validated(await lockOverrides(trx, storeHash));
    const merged = deepMerge(overrides, patch);
    const parsed = settingsSchema.safeParse(merged);
    if (!parsed.success) {
      throw validationError(
        'Some settings are invalid.',
        parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
      );
    }
    await saveOverrides(trx, storeHash, merged);
    return parsed.data;
  });
}

function dropInvalid(overrides: Patch, paths: PropertyKey[][]): Patch {
  const copy = structuredClone(overrides);
  for (const path of paths) {
    let node: unknown = copy;
    for (const key of path.slice(0, -1)) node = isObject(node) ? node[String(key)] : undefined;
    if (isObject(node)) delete node[String(path.at(-1))];
  }
  return copy;
}
