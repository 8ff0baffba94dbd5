/**
 * A sandbox store for a test, reached over real HTTP with fetch: the store, a token, JSON helpers, a
 * webhook receiver, and validation of answers against the committed JSON schemas (test/schemas).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/index.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from './config.ts';
import { listen, type Listening } from './http.ts';

export interface TestSandbox {
  sandbox: Sandbox;
  storeHash: string;
  token: string;
  /** `/stores/{hash}` on the sandbox. */
  base: string;
  call(method: string, apiPath: string, body?: unknown, token?: string): Promise<Answer>;
  get(apiPath: string, token?: string): Promise<Answer>;
  put(apiPath: string, body: unknown, token?: string): Promise<Answer>;
  post(apiPath: string, body: unknown, token?: string): Promise<Answer>;
  stop(): Promise<void>;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** Starts a sandbox with one store (demo catalog unless `seed: 'empty'`) and a token with every scope. */
export async function startTestSandbox(options: Partial<SandboxOptions> & { storeHash?: string } = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox({
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    rateLimit: { quota: 0, windowMs: 30_000 },
    webhookTimeScale: 0.0001,
    ...options,
  });
  const { storeHash } = await sandbox.createStore({ storeHash: options.storeHash ?? 'teststore1' });
  const token = await sandbox.issueAccessToken(storeHash);
  const base = `${sandbox.url}/stores/${storeHash}`;
  const call = async (method: string, apiPath: string, body?: unknown, useToken = token): Promise<Answer> => {
    const headers: Record<string, string> = { 'X-Auth-Token': useToken, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${base}${apiPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
  };
  return {
    sandbox,
    storeHash,
    token,
    base,
    call,
    get: (apiPath, t) => call('GET', apiPath, undefined, t),
    put: (apiPath, body, t) => call('PUT', apiPath, body, t),
    post: (apiPath, body, t) => call('POST', apiPath, body, t),
    stop: () => sandbox.stop(),
  };
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: any;
  at: number;
}

export interface WebhookReceiver extends Listening {
  received: ReceivedWebhook[];
  /** The status answered to the next deliveries (default 200). */
  respondWith(status: number): void;
}

/** A loopback endpoint that records every delivery. */
export async function webhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let status = 200;
  const server = await listen((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, rawBody: raw, body: raw ? JSON.parse(raw) : undefined, at: Date.now() });
      res.statusCode = status;
      res.end();
    });
  });
  return { ...server, received, respondWith: (next) => (status = next) };
}

/** Waits until `check` returns a truthy value (polling), or fails after `timeoutMs`. */
export async function until<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'the condition',
): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, false | 0 | '' | null | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const SCHEMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();

/** The committed schema names, e.g. `v3.catalog.products.list.200`. */
export function schemaNames(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length));
}

/** The problems of `body` against test/schemas/<name>.json, as readable lines (empty when it conforms). */
export function schemaProblems(name: string, body: unknown): string[] {
  let validate = validators.get(name);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(path.join(SCHEMA_DIR, `${name}.json`), 'utf8')) as object);
    validators.set(name, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
