/**
 * The report bench's export, in a process of its own so that its peak memory is the export's alone, bundled
 * as production's worker is (bench/helpers.ts, runBundled), with `<databaseUrl> <stores> <timezone>`: it
 * writes every store's full report (`rb000`, `rb001`, …) as CSV through the export's keyset batches into a
 * sink that reads at once, sampling the resident set, and prints `{ rows, seconds, peakMb }` as JSON.
 */
import { Writable } from 'node:stream';
import { openDatabase } from '../server/db/database.ts';
import { writeCsv } from '../server/csv/csv-stream.ts';
import { REPORT_COLUMNS, reportCells } from '../server/reports/report-export.ts';
import { readReportQuery } from '../server/reports/report-query.ts';
import { reportBatches } from '../server/reports/report.repo.ts';

const [databaseUrl, stores, timezone] = process.argv.slice(2);
const database = await openDatabase({ databaseUrl: databaseUrl! });
await database.ping();
// What the process holds before the first row: Node, the export's modules, a connection.
const before = process.memoryUsage.rss();
let peak = before;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
const { query } = readReportQuery({});
const started = performance.now();
let rows = 0;
for (let n = 0; n < Number(stores); n++) {
  const scope = { storeHash: `rb${String(n).padStart(3, '0')}`, timezone: timezone! };
  rows += await writeCsv(sink, REPORT_COLUMNS, reportBatches(database.db, scope, query), reportCells);
}
const seconds = (performance.now() - started) / 1000;
clearInterval(timer);
await database.close();
const mb = (bytes: number) => bytes / 1024 / 1024;
process.stdout.write(JSON.stringify({ rows, seconds, beforeMb: mb(before), peakMb: mb(Math.max(peak, process.memoryUsage.rss())) }));
