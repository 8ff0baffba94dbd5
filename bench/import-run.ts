/**
 * The import bench's "import to update", in a process of its own — as production runs it, in a store-jobs process —
 * so that its memory is the import's and not the bench's (which built the file and seeded 100,000 rows).
 * import.bench.ts runs it bundled and with the store jobs' V8 settings, as production's store-jobs processes
 * are (bench/helpers.ts, runBundled), with
 * `<databaseUrl> <storeHash> <importId>`: it opens the database, runs the stored import through
 * `applyImport`, sampling the resident set every 20 ms, and prints `{ rows, seconds, beforeMb, peakMb }` as
 * JSON (before: Node, the import's modules and a connection).
 */
import { openDatabase } from '../server/db/database.ts';
import { applyImport } from '../server/imports/imports.service.ts';
import { claimNextImport } from '../server/imports/imports.repo.ts';
import { quietJobDeps } from './job-deps.ts';

const [databaseUrl, storeHash, importId] = process.argv.slice(2);
const database = await openDatabase({ databaseUrl: databaseUrl! });
await database.ping();
// Claimed as the import job claims it (run 0: the bench has no job row).
const row = await claimNextImport(database.db, storeHash!, 0);
if (row?.id !== Number(importId)) throw new Error(`import ${importId} of store ${storeHash} is not the next waiting one`);
const deps = quietJobDeps(database.db);
const before = process.memoryUsage.rss();
let peak = before;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
const started = performance.now();
const rows = await applyImport(deps, row);
const seconds = (performance.now() - started) / 1000;
clearInterval(timer);
await database.close();
const mb = (bytes: number) => bytes / 1024 / 1024;
process.stdout.write(JSON.stringify({ rows, seconds, beforeMb: mb(before), peakMb: mb(Math.max(peak, process.memoryUsage.rss())) }));
