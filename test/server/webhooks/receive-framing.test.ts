/**
 * The webhook route takes BigCommerce's deliveries before Express (a Content-Length, no encoding) and
 * every other framing through Express's body parser: the answers and what is recorded and queued must
 * not depend on which. Deliveries arriving together are recorded in one statement and queued in one add (a
 * big group's: one job, which adds theirs when a worker runs it).
 */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookHeadersFor } from '../../../server/bigcommerce/index.ts';
import { WEBHOOK_SECRET_HEADER } from '../../../server/bigcommerce/webhook-verification.ts';
import { WEBHOOK_PATH } from '../../../server/registration/registration.service.ts';
import { jobIdFor } from '../../../server/webhooks/envelope.ts';
import { GROUP_JOB, type GroupJob } from '../../../server/webhooks/webhooks.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { webhookEnvelope } from '../../helpers/webhooks.ts';

const STORE = 'framing1';
let app: TestApp;
beforeAll(async () => {
  // No workers: a queued job stays in the queue, where the test looks for it.
  app = await startTestApp({ workers: false, config: { logLevel: 'silent' } });
});
afterAll(async () => {
  await app?.stop();
});

let nextOrder = 1;
const envelope = () => webhookEnvelope(STORE, 'store/order/created', { type: 'order', id: nextOrder++ });

interface Answer {
  status: number;
  type: string | undefined;
  body: Record<string, unknown>;
}

/** Posts `body` as it is framed here: with its length, chunked (no length), or gzip-encoded. */
function post(body: Buffer, framing: 'length' | 'chunked' | 'gzip', extra: Record<string, string> = {}): Promise<Answer> {
  const sent = framing === 'gzip' ? gzipSync(body) : body;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...webhookHeadersFor(STORE, app.config.encryptionKey!), ...extra };
  if (framing === 'chunked') headers['transfer-encoding'] = 'chunked';
  else headers['content-length'] = String(sent.length);
  if (framing === 'gzip') headers['content-encoding'] = 'gzip';
  return new Promise((resolve, reject) => {
    const req = request(`${app.url}${WEBHOOK_PATH}`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    if (framing === 'chunked') {
      // Two chunks: the body arrives in pieces, as a proxy may send it.
      req.write(sent.subarray(0, 10));
      req.end(sent.subarray(10));
    } else req.end(sent);
  });
}

/** Recorded, and queued: its own job, or one of a group's job (whose run, in a worker, adds it). */
async function recordedAndQueued(env: ReturnType<typeof envelope>): Promise<boolean> {
  const row = await app.database.db.selectFrom('webhook_events').select('id').where('store_hash', '=', STORE).where('hash', '=', env.hash).executeTakeFirst();
  const jobId = jobIdFor(STORE, env);
  const job = await app.queues.webhooks.getJob(jobId);
  const groups = (await app.queues.webhooks.getJobs(['waiting'])).filter((waiting) => waiting.name === GROUP_JOB);
  const inGroup = groups.flatMap((group) => (group.data as GroupJob).events).find((event) => event.opts.jobId === jobId);
  return row !== undefined && (job ?? inGroup)?.data.eventId === row.id;
}

describe('the webhook route', () => {
  it('when a delivery comes with its length, chunked or gzip-encoded, then each is answered alike, recorded and queued', async () => {
    for (const framing of ['length', 'chunked', 'gzip'] as const) {
      const env = envelope();
      const answer = await post(Buffer.from(JSON.stringify(env)), framing);
      expect(answer, framing).toEqual({ status: 200, type: 'application/json; charset=utf-8', body: { received: true } });
      expect(await recordedAndQueued(env), framing).toBe(true);
    }
  });

  it('when a delivery is refused, then the answer says why in JSON, whichever way it was framed', async () => {
    for (const framing of ['length', 'chunked'] as const) {
      const unsigned = await post(Buffer.from(JSON.stringify(envelope())), framing, { [WEBHOOK_SECRET_HEADER]: 'guess' });
      expect(unsigned.status, framing).toBe(401);
      expect(unsigned.body.error, framing).toMatch(/^Delivery not verified: wrong-secret/);
      const garbled = await post(Buffer.from('{"scope": '), framing);
      expect(garbled.status, framing).toBe(400);
      expect(garbled.body.error, framing).toMatch(/^Not a BigCommerce webhook/);
    }
    const encoded = await post(Buffer.from(JSON.stringify(envelope())), 'length', { 'content-encoding': 'x-nonsense' });
    expect(encoded).toEqual({ status: 415, type: 'application/json; charset=utf-8', body: { error: 'The delivery could not be read.' } });
  });

  it('when a delivery is over 1 MB, then it is refused with a 413 naming the limit, whether its length is declared or not', async () => {
    const json = JSON.stringify(envelope());
    const over = Buffer.from(json + ' '.repeat(1024 * 1024 + 1 - json.length));
    for (const framing of ['length', 'chunked'] as const) {
      const answer = await post(over, framing);
      expect(answer.status, framing).toBe(413);
      expect(answer.body.error, framing).toBe('The delivery is larger than 1048576 bytes.');
    }
  });

  it('when 60 deliveries arrive at once, then each is answered 200, recorded and queued, several to a statement', async () => {
    const envelopes = Array.from({ length: 60 }, envelope);
    const answers = await Promise.all(envelopes.map((env) => post(Buffer.from(JSON.stringify(env)), 'length')));
    expect(answers.map((a) => a.status)).toEqual(envelopes.map(() => 200));
    for (const env of envelopes) expect(await recordedAndQueued(env)).toBe(true);
    // Rows written by one statement share its transaction id: one statement a delivery would make 60. How many
    // share one depends on how the requests arrive (fewer than 20 statements alone, 21 in a whole busy run).
    const { rows } = await sql<{ statements: number }>`
      select count(distinct xmin::text)::int as statements from webhook_events
      where store_hash = ${STORE} and hash = any(${envelopes.map((e) => e.hash)}::text[])`.execute(app.database.db);
    expect(rows[0]!.statements).toBeLessThanOrEqual(40);
  });
});
