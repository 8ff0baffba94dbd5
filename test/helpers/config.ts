/** A complete configuration for tests: real PostgreSQL and Redis from `npm test`, fixed secrets. */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../server/config.ts';

export const TEST_CLIENT_ID = 'test-client-id';
export const TEST_CLIENT_SECRET = 'test-client-secret-0123456789abcdef';

/** The operator token of every test app (`Authorization: Bearer …` on /metrics and /operator). */
export const TEST_OPERATOR_TOKEN = 'test-operator-token-0123456789abcdef';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    mode: 'test',
    port: 0,
    appUrl: undefined,
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    encryptionKey: randomBytes(32),
    previousEncryptionKey: undefined,
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    // A prefix of its own keeps this test's queues apart from every other test's in the shared Redis.
    queuePrefix: `{t${randomBytes(5).toString('hex')}}`,
    logLevel: 'info',
    dataDir: path.join(os.tmpdir(), `backorder-test-${randomBytes(4).toString('hex')}`),
    purgeAfterDays: 30,
    storefrontApiPerMinute: 600,
    trustProxy: 0,
    webhookSignatures: 'log',
    bigcommerce: { apiUrl: 'http://127.0.0.1:9', loginUrl: 'http://127.0.0.1:9' },
    extraFrameAncestors: [],
    unifiedBilling: undefined,
    operatorToken: TEST_OPERATOR_TOKEN,
    metricsPort: undefined,
    migrateOnStart: true,
    preparedStatements: true,
    ...overrides,
  };
}
