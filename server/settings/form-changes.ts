/**
 * What a posted Settings form changes. DESIGN.md: a form changes only what the merchant changed, relative to
 * what the page showed. A field typed other than the page showed it is a change; a field left as the page
 * showed it changes nothing, even when the settings moved since (another session saved, an older page was
 * posted again from the browser's history), so a page left open never undoes a change saved meanwhile. A
 * field the merchant changed that someone else also changed since, to another value, is a conflict: the
 * save is refused naming both values, and the merchant decides.
 */
import type { FieldProblem } from '../errors.ts';
import { deepMerge, fieldsOf, patchOf, valueAt, type Patch } from './patch.ts';
import type { Settings } from './settings.schema.ts';

export interface SettingConflict {
  /** The field's path (`storefront.badge.backorderText`). */
  field: string;
  shown: unknown;
  now: unknown;
  typed: unknown;
}

export interface FormChanges {
  /** The fields the merchant changed, as typed. */
  changes: Patch;
  /** What the page showed of each of those fields. */
  shownBefore: Patch;
  /** Those fields someone else changed since the page showed them, to another value than typed. */
  conflicts: SettingConflict[];
}

/**
 * The value as the settings keep it: every text of the settings' schema is trimmed. A browser posts every line
 * break as CR LF, a hidden input's too, whatever the page held.
 */
const kept = (value: unknown) => JSON.stringify(typeof value === 'string' ? value.trim().replace(/\r\n?/g, '\n') : value);
const same = (a: unknown, b: unknown) => kept(a) === kept(b);

/**
 * The changes of a form that `typed` these fields over a page that showed `shown` (undefined: a page from
 * before the form said what it showed, whose fields are compared with the settings now), the store's
 * settings being `current`.
 */
export function formChanges(typed: Patch, shown: Patch | undefined, current: Settings): FormChanges {
  const changed: Array<[string[], unknown]> = [];
  const before: Array<[string[], unknown]> = [];
  const conflicts: SettingConflict[] = [];
  for (const [path, value] of fieldsOf(typed)) {
    const now = valueAt(current, path);
    const showed = shown && valueAt(shown, path) !== undefined ? valueAt(shown, path) : now;
    // Left as shown, or already what was typed (the same form posted twice): nothing to change.
    if (same(value, showed) || same(value, now)) continue;
    changed.push([path, value]);
    before.push([path, showed]);
    if (!same(now, showed)) conflicts.push({ field: path.join('.'), shown: showed, now, typed: value });
  }
  return { changes: patchOf(changed), shownBefore: patchOf(before), conflicts };
}

/**
 * What a form shown again is to say it showed (its hidden inputs): a field the merchant changed keeps what
 * the first page showed, so saving again still changes only what they changed — but a conflict the page
 * names takes the value now, since both values are before the merchant: saving again applies theirs. Every
 * other field shows its value now, as the page does.
 */
export function shownAgain(current: Settings, { shownBefore, conflicts }: FormChanges, conflictsNamed: boolean): Settings {
  const named = new Set(conflictsNamed ? conflicts.map((c) => c.field) : []);
  return deepMerge(current, patchOf(fieldsOf(shownBefore).filter(([path]) => !named.has(path.join('.'))))) as Settings;
}

function described(value: unknown): string {
  if (value === null) return 'Unlimited';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return value.toLocaleString('en-US');
  const text = String(value ?? '').trim();
  return text ? `“${text}”` : 'empty';
}

/** A conflict as the form names it beside its field. */
export function conflictProblem(conflict: SettingConflict): FieldProblem {
  return {
    field: conflict.field,
    message: `changed since you opened this page: it showed ${described(conflict.shown)}, it is ${described(conflict.now)} now. Your ${described(conflict.typed)} is kept below; save again to apply it.`,
  };
}
