/** Settings as nested objects of fields: merged, walked field by field, and set by path. */

export type Patch = { [key: string]: unknown };

export function isObject(value: unknown): value is Patch {
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

/** Every field of `patch` (a value that is not an object), with its path. */
export function fieldsOf(patch: Patch, path: string[] = []): Array<[path: string[], value: unknown]> {
  return Object.entries(patch).flatMap(([key, value]) =>
    isObject(value) ? fieldsOf(value, [...path, key]) : [[[...path, key], value] as [string[], unknown]],
  );
}

/** The value at `path` in `patch`, if any. */
export function valueAt(patch: Patch, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), patch);
}

/** A patch holding `fields` alone. */
export function patchOf(fields: ReadonlyArray<readonly [path: readonly string[], value: unknown]>): Patch {
  const patch: Patch = {};
  for (const [path, value] of fields) {
    let node = patch;
    for (const key of path.slice(0, -1)) node = (isObject(node[key]) ? node[key] : (node[key] = {})) as Patch;
    node[path.at(-1)!] = value;
  }
  return patch;
}
