/**
 * Where the client contract suite runs: the sandbox store (always, once `sandbox/` exists) and a
 * real store (when BC_STORE_HASH and BC_ACCESS_TOKEN are set; read-only unless BC_ALLOW_WRITES names the
 * same store, i.e. a development store). Each target says why it is skipped when it is.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryRateLimitState } from '../../../server/bigcommerce/rate-limit.ts';
import { createBigCommerceClient, type BigCommerceClient } from '../../../server/bigcommerce/client.ts';

export interface Target {
  client: BigCommerceClient;
  /** The same store with a token BigCommerce does not know. */
  badTokenClient: BigCommerceClient;
  state: MemoryRateLimitState;
  storeHash: string;
  /** Whether the suite may create, change and delete things in the store. */
  writes: boolean;
  /** The status of every answer `client` received, in order. */
  statuses: number[];
  /** The sandbox only: changes its quota (a real store's quota is its plan's). */
  setRateLimit?: (limit: { quota: number; windowMs: number }) => void;
  close(): Promise<void>;
}

export interface TargetSpec {
  name: string;
  /** Why the target cannot run; undefined when it can. */
  skipReason: string | undefined;
  start(): Promise<Target>;
}

const SANDBOX_ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../sandbox/index.ts');
const CLIENT_ID = 'contract-client-id';
const CLIENT_SECRET = 'contract-client-secret';

function target(storeHash: string, accessToken: string, apiUrl: string, writes: boolean, close: () => Promise<void>): Target {
  const state = new MemoryRateLimitState();
  const statuses: number[] = [];
  const counting: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    statuses.push(response.status);
    return response;
  };
  const options = { storeHash, apiUrl, rateLimitState: state, retry: { baseDelayMs: 100, maxDelayMs: 2_000 } };
  return {
    client: createBigCommerceClient({ ...options, accessToken, fetch: counting }),
    badTokenClient: createBigCommerceClient({ ...options, accessToken: 'not-a-valid-token-0000' }),
    state,
    storeHash,
    writes,
    statuses,
    close,
  };
}

/** The sandbox store of `sandbox/`, seeded with the demo catalog, with a fresh token. */
export const sandboxTarget: TargetSpec = {
  name: 'the sandbox store',
  skipReason: existsSync(SANDBOX_ENTRY) ? undefined : 'sandbox/index.ts does not exist yet (it comes with the sandbox store)',
  async start() {
    // Imported by path at run time so this suite compiles and runs before the sandbox exists.
    const { startSandbox } = (await import(SANDBOX_ENTRY)) as {
      startSandbox(options: { port?: number; clientId: string; clientSecret: string; seed?: 'demo' | 'empty' }): Promise<{
        url: string;
        createStore(options?: { seed?: 'demo' | 'empty' }): Promise<{ storeHash: string }>;
        issueAccessToken(storeHash: string): Promise<string>;
        setRateLimit(limit: { quota: number; windowMs: number }): void;
        stop(): Promise<void>;
      }>;
    };
    const sandbox = await startSandbox({ port: 0, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, seed: 'demo' });
    try {
      const { storeHash } = await sandbox.createStore({ seed: 'demo' });
      const token = await sandbox.issueAccessToken(storeHash);
      return { ...target(storeHash, token, sandbox.url, true, () => sandbox.stop()), setRateLimit: (limit) => sandbox.setRateLimit(limit) };
    } catch (error) {
      await sandbox.stop();
      throw error;
    }
  },
};

const realHash = process.env.BC_STORE_HASH;
const realToken = process.env.BC_ACCESS_TOKEN;

/** A real store, by configuration alone. */
export const realStoreTarget: TargetSpec = {
  name: `a real store${realHash ? ` (${realHash})` : ''}`,
  skipReason: realHash && realToken ? undefined : 'set BC_STORE_HASH and BC_ACCESS_TOKEN to run it against a real store',
  async start() {
    const writes = process.env.BC_ALLOW_WRITES === realHash;
    const apiUrl = process.env.BC_API_URL || 'https://api.bigcommerce.com';
    console.log(`BigCommerce contract: running against the real store ${realHash} at ${apiUrl} (${writes ? 'reads and writes' : 'read-only'})`);
    return target(realHash!, realToken!, apiUrl, writes, async () => {});
  },
};
