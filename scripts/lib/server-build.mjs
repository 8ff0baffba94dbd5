// The production build of the processes that run for long. In production, `npm run web` and `npm run worker`
// run from one JavaScript file each (dist/server/web.js, dist/server/worker.js; the worker's store-jobs
// processes from dist/server/store-jobs.sandbox.js) that esbuild bundles from their TypeScript, not through
// tsx: tsx transforms every module as it loads and keeps a loader thread of its own: 60 to 80 MB more in
// every process, and twice the time to start (bench/processes.bench.ts).
//
// A bundle holds the app's own code and nothing else: the packages stay in node_modules, and no part is
// loaded later, so rebuilding cannot pull a file from under a running process. Beside each bundle,
// <name>.json lists the sources it was built from with their hashes: a bundle is current while every one of
// them is unchanged, and is built again otherwise, so a checkout that pulled new code never runs an old
// build. `node scripts/lib/server-build.mjs` builds every bundle (the image does, scripts/image-build.sh).
//
// Plain JavaScript, because scripts/run.mjs (which installs the packages, tsx among them) uses it; esbuild is
// imported only when a bundle is checked, once the packages are there.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The commands that production runs from a bundle, each built from scripts/<command>.ts, with the modules
 * their processes start (the worker's store-jobs processes: server/workers/store-jobs.worker.ts).
 */
export const BUNDLES = {
  web: ['scripts/web.ts'],
  worker: ['scripts/worker.ts', 'server/workers/store-jobs.sandbox.ts'],
};
export const BUILT_COMMANDS = Object.keys(BUNDLES);

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Whether the bundle described by `stampFile` was built by this esbuild from the sources as they are now. */
function isCurrent(root, bundleFile, stampFile, esbuildVersion) {
  if (!existsSync(bundleFile) || !existsSync(stampFile)) return false;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return false;
  }
  if (stamp.esbuild !== esbuildVersion || typeof stamp.sources !== 'object') return false;
  return Object.entries(stamp.sources).every(([source, hash]) => {
    const file = path.join(root, source);
    return existsSync(file) && sha256(readFileSync(file)) === hash;
  });
}

/** Writes a file whole or not at all: into a file of its own, then renamed over the old one. */
function replaceFile(file, contents) {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, contents);
  renameSync(partial, file);
}

/**
 * Builds `entry` (a path from `root`) into `<outDir>/<its name>.js`, with a source map beside it, unless the
 * bundle there is current. Returns the bundle's path and whether it was built now.
 */
export async function ensureBundle(root, entry, { outDir = path.join(root, 'dist', 'server'), log = console.log } = {}) {
  const { build, version } = await import('esbuild');
  const name = path.basename(entry).replace(/\.[cm]?ts$/, '');
  const bundleFile = path.join(outDir, `${name}.js`);
  const stampFile = path.join(outDir, `${name}.json`);
  if (isCurrent(root, bundleFile, stampFile, version)) return { file: bundleFile, built: false };

  const since = Date.now();
  log(`backorder: building ${path.relative(root, bundleFile)} from ${entry} (esbuild) ...`);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: bundleFile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Linked, not loaded: NODE_OPTIONS=--enable-source-maps turns stack traces back into the .ts lines.
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(outDir, { recursive: true });
  const sources = Object.fromEntries(Object.keys(result.metafile.inputs).map((source) => [source, sha256(readFileSync(path.join(root, source)))]));
  // The bundle before its stamp: a stamp never describes a bundle that is not there yet.
  for (const output of result.outputFiles) replaceFile(output.path, output.contents);
  replaceFile(stampFile, JSON.stringify({ entry, esbuild: version, sources }, null, 2));
  log(`backorder: built ${path.relative(root, bundleFile)} in ${((Date.now() - since) / 1000).toFixed(1)} s`);
  return { file: bundleFile, built: true };
}

/** A command's bundle, current, as are those of the processes it starts (BUNDLES); returns the command's file. */
export async function ensureCommandBundle(root, command, options) {
  const [main, ...started] = BUNDLES[command];
  for (const entry of started) await ensureBundle(root, entry, options);
  return (await ensureBundle(root, main, options)).file;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  for (const entry of Object.values(BUNDLES).flat()) {
    const { file, built } = await ensureBundle(root, entry);
    if (!built) console.log(`backorder: ${path.relative(root, file)} is current`);
  }
}
