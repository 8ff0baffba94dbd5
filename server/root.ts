/**
 * The repository's root folder, where the app's files that are not code live (admin/, storefront/dist/,
 * server/db/migrations/). Found by walking up to package.json rather than counted in `..`s from this file,
 * because production runs this code bundled into dist/server/ (scripts/lib/server-build.mjs), where this
 * file's own place is not where it is in the sources.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function rootAbove(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'package.json'))) return at;
    if (path.dirname(at) === at) throw new Error(`no package.json above ${dir}: the app's code must stay inside its repository`);
  }
}

export const ROOT_DIR = rootAbove(path.dirname(fileURLToPath(import.meta.url)));
