/** A store's settings: defaults merged with what the merchant saved; changes validated field by field. */
import type { Db } from '../db/database.ts';
import { AppError, validationError, type FieldProblem } from '../errors.ts';
import { conflictProblem, formChanges } from './form-changes.ts';
import { deepMerge, isObject, type Patch } from './patch.ts';
import { findOverrides, lockOverrides, saveOverrides } from './settings.repo.ts';
import { settingsSchema, type Settings } from './settings.schema.ts';

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
    const { overrides } = await lockedSettings(trx, storeHash);
    return saveChange(trx, storeHash, overrides, patch);
  });
}

/**
 * Saves what a posted Settings form changed relative to what its page showed (`formChanges`), against the
 * settings as they are under their row lock: nothing is saved when a changed field was also changed by
 * someone else since the page showed it (a conflict naming both values), or when a field is invalid.
 */
export async function saveSettingsForm(
  db: Db,
  storeHash: string,
  form: { patch: Patch; shown?: Patch | undefined },
): Promise<{ before: Settings; after: Settings }> {
  return db.transaction().execute(async (trx) => {
    const { overrides, settings: before } = await lockedSettings(trx, storeHash);
    const { changes, conflicts } = formChanges(form.patch, form.shown, before);
    return { before, after: await saveChange(trx, storeHash, overrides, changes, conflicts.map(conflictProblem)) };
  });
}

/** The store's overrides that still validate, and the settings they make; the row locked until the transaction ends. */
async function lockedSettings(trx: Db, storeHash: string): Promise<{ overrides: Patch; settings: Settings }> {
  return validated(await lockOverrides(trx, storeHash));
}

/** Saves `patch` over `overrides`, or throws every conflict and problem at once, saving nothing. */
async function saveChange(trx: Db, storeHash: string, overrides: Patch, patch: Patch, conflicts: FieldProblem[] = []): Promise<Settings> {
  const merged = deepMerge(overrides, patch);
  const parsed = settingsSchema.safeParse(merged);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
  if (conflicts.length > 0) {
    const message = `Nothing was saved: ${conflicts.length === 1 ? 'a setting' : `${conflicts.length} settings`} changed since you opened this page. Check ${conflicts.length === 1 ? 'it' : 'them'} below and save again.`;
    throw new AppError('conflict', message, { problems: [...conflicts, ...problems] });
  }
  if (!parsed.success) throw validationError('Some settings are invalid.', problems);
  await saveOverrides(trx, storeHash, merged);
  return parsed.data;
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
