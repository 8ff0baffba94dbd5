/**
 * Properties of the webhook receive path (issue 11), on the whole app over real HTTP with its PostgreSQL
 * and Redis: any body, any headers, any length end in a clean 4xx, or in a 200 whose event is recorded
 * and queued. Never a 5xx (BigCommerce would retry a delivery that can never be taken), never a crash.
 */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../server/bigcommerce/webhook-verification.ts';
import { standardWebhooksKey, webhookHeadersFor } from '../../../server/bigcommerce/index.ts';
import { jobIdFor } from '../../../server/webhooks/envelope.ts';
import { WEBHOOK_PATH } from '../../../server/registration/registration.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { anyBodyArb, envelopeArb } from '../../helpers/webhook-arbitraries.ts';

let app: TestApp;
beforeAll(async () => {
  // No workers: a queued job stays in the queue, where the property looks for it.
  app = await startTestApp({ workers: false, config: { logLevel: 'silent' } });
});
afterAll(async () => {
  await app?.stop();
});

const CLEAN_REFUSALS = [400, 401, 413, 415];

/** What a body claims to be: its event key, when it reads as one. */
function claimedKey(body: Buffer): { storeHash: string; scope: string; hash: string; createdAt: number } | undefined {
  try {
    const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const storeHash = typeof json.producer === 'string' ? /^stores\/(.+)$/.exec(json.producer)?.[1] : undefined;
    if (!storeHash || typeof json.scope !== 'string' || typeof json.hash !== 'string' || typeof json.created_at !== 'number') return undefined;
    return { storeHash, scope: json.scope, hash: json.hash, createdAt: json.created_at };
  } catch {
    return undefined;
  }
}

/** Headers as BigCommerce sends them for the store the body names: its secret header, and a signature. */
function bigcommerceHeaders(body: Buffer, signature: 'none' | 'good' | 'bad'): Record<string, string> {
  const key = claimedKey(body);
  const headers: Record<string, string> = key ? webhookHeadersFor(key.storeHash, app.config.encryptionKey!) : {};
  if (signature !== 'none') {
    const timestamp = Math.floor(Date.now() / 1000);
    headers['webhook-id'] = 'msg_property';
    headers['webhook-timestamp'] = String(timestamp);
    headers['webhook-signature'] =
      signature === 'good' ? signWebhook('msg_property', timestamp, body, standardWebhooksKey(app.config.clientSecret!)) : 'v1,AAAA';
  }
  return headers;
}

const eventCount = async () =>
  Number(
    (
      await app.database.db
        .selectFrom('webhook_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** After a 200: the event is in PostgreSQL under its key, and its job is in the queue. */
async function expectRecordedAndQueued(body: Buffer): Promise<void> {
  const key = claimedKey(body)!;
  const row = await app.database.db
    .selectFrom('webhook_events')
    .select(['id', 'payload'])
    .where('store_hash', '=', key.storeHash)
    .where('scope', '=', key.scope)
    .where('hash', '=', key.hash)
    .where('event_created_at', '=', key.createdAt)
    .executeTakeFirst();
  expect(row, 'the acknowledged event is recorded').toBeDefined();
  const job = await app.queues.webhooks.getJob(jobIdFor(key.storeHash, { scope: key.scope, hash: key.hash, created_at: key.createdAt }));
  expect(job?.data.eventId, 'the acknowledged event is queued').toBe(row!.id);
}

/** Sends raw bytes and reads the status of the answer; null when the server closed without one. */
function sendRaw(bytes: Buffer): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = connect(app.port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => socket.destroy(), 3_000);
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      resolve(status ? Number(status) : null);
    });
    socket.on('connect', () => socket.end(bytes));
  });
}

describe('the webhook receive path', () => {
  it('when any body arrives with or without BigCommerce’s headers, then it is refused with a 4xx or recorded and queued', async () => {
    const contentType = fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', '');
    await fc.assert(
      fc.asyncProperty(anyBodyArb, fc.constantFrom('none', 'good', 'bad'), fc.boolean(), contentType, async (body, signature, withSecret, type) => {
        const headers = withSecret ? bigcommerceHeaders(body, signature) : {};
        if (type) headers['content-type'] = type;
        const before = await eventCount();
        const response = await fetch(`${app.url}${WEBHOOK_PATH}`, { method: 'POST', headers, body: new Uint8Array(body) });
        const text = await response.text();
        if (response.status === 200) await expectRecordedAndQueued(body);
        else {
          expect(CLEAN_REFUSALS, `answered ${response.status}: ${text}`).toContain(response.status);
          expect(await eventCount()).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('when a delivery comes with any framing — wrong lengths, chunks, encodings, odd headers — then the answer is never a 5xx and the app keeps receiving', async () => {
    const headerLine = fc.oneof(
      fc
        .tuple(fc.string({ unit: fc.constantFrom(...'abcxyz-_!#'), minLength: 1, maxLength: 12 }), fc.string({ unit: 'binary-ascii', maxLength: 40 }))
        .map(([name, value]) => `${name}: ${value}`),
      fc.constantFrom(
        'Content-Encoding: gzip',
        'Content-Encoding: deflate',
        'Content-Encoding: br',
        'Content-Encoding: identity',
        'Content-Encoding: x-nonsense',
        'Content-Type: application/json',
        'Expect: 100-continue',
        'Transfer-Encoding: chunked',
      ),
    );
    const framing = fc.record({
      body: fc.oneof(
        anyBodyArb,
        envelopeArb.map((e) => gzipSync(JSON.stringify(e))),
      ),
      lengthDelta: fc.oneof(fc.constant(0), fc.integer({ min: -50, max: 50 })),
      lengthHeader: fc.constantFrom('exact', 'none', 'garbage', 'twice'),
      extra: fc.array(headerLine, { maxLength: 5 }),
      withSecret: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(framing, async ({ body, lengthDelta, lengthHeader, extra, withSecret }) => {
        const lines = [`POST ${WEBHOOK_PATH} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...extra];
        if (withSecret) lines.push(...Object.entries(bigcommerceHeaders(body, 'none')).map(([k, v]) => `${k}: ${v}`));
        const length = Math.max(0, body.length + lengthDelta);
        if (lengthHeader === 'exact') lines.push(`Content-Length: ${length}`);
        if (lengthHeader === 'garbage') lines.push('Content-Length: 12abc');
        if (lengthHeader === 'twice') lines.push(`Content-Length: ${length}`, `Content-Length: ${length + 1}`);
        const status = await sendRaw(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
        if (status !== null) expect(status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    const good = fc.sample(envelopeArb, 1)[0]!;
    const body = Buffer.from(JSON.stringify(good));
    const response = await fetch(`${app.url}${WEBHOOK_PATH}`, { method: 'POST', headers: bigcommerceHeaders(body, 'good'), body: new Uint8Array(body) });
    expect(response.status).toBe(200);
  });

  it('when a delivery is over 1 MB, then it is refused with a 413; padded up to the limit it is taken', async () => {
    const envelope = fc.sample(envelopeArb, 1)[0]!;
    const json = JSON.stringify(envelope);
    const padded = (size: number) => Buffer.from(json + ' '.repeat(size - Buffer.byteLength(json)));
    const atLimit = padded(1024 * 1024);
    const over = padded(1024 * 1024 + 1);
    expect(
      (await fetch(`${app.url}${WEBHOOK_PATH}`, { method: 'POST', headers: bigcommerceHeaders(atLimit, 'good'), body: new Uint8Array(atLimit) })).status,
    ).toBe(200);
    await expectRecordedAndQueued(atLimit);
    const before = await eventCount();
    expect((await fetch(`${app.url}${WEBHOOK_PATH}`, { method: 'POST', headers: bigcommerceHeaders(over, 'good'), body: new Uint8Array(over) })).status).toBe(
      413,
    );
    expect(await eventCount()).toBe(before);
  });
});
