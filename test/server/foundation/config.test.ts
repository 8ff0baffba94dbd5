import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, decodeEncryptionKey, loadConfig } from '../../../server/config.ts';
import { ROOT } from '../../helpers/processes.ts';

const KEY = 'a'.repeat(64);

function problemsOf(env: NodeJS.ProcessEnv, options: Parameters<typeof loadConfig>[1] = {}): string[] {
  try {
    loadConfig(env, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it("when nothing is configured, then development mode runs with defaults against BigCommerce's URLs", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'development',
      port: 3000,
      databaseUrl: undefined,
      redisUrl: undefined,
      logLevel: 'info',
      bigcommerce: { apiUrl: 'https://api.bigcommerce.com', loginUrl: 'https://login.bigcommerce.com' },
    });
    expect(config.extraFrameAncestors).toEqual([]);
  });

  it('when EXTRA_FRAME_ANCESTORS names origins in development, then they may frame the admin; in production or malformed it is named', () => {
    expect(loadConfig({ EXTRA_FRAME_ANCESTORS: 'http://127.0.0.1:4100, https://panel.example.com/' }).extraFrameAncestors).toEqual([
      'http://127.0.0.1:4100',
      'https://panel.example.com',
    ]);
    expect(problemsOf({ EXTRA_FRAME_ANCESTORS: 'http://127.0.0.1:4100/manage' })[0]).toMatch(/^EXTRA_FRAME_ANCESTORS\.0: must be origins/);
    const production = {
      NODE_ENV: 'production',
      CLIENT_ID: 'id',
      CLIENT_SECRET: 'secret',
      APP_URL: 'https://backorder.example.com',
      ENCRYPTION_KEY: KEY,
      DATABASE_URL: 'postgres://u:p@db:5432/backorder',
      REDIS_URL: 'redis://cache:6379',
    };
    expect(problemsOf({ ...production, EXTRA_FRAME_ANCESTORS: 'http://127.0.0.1:4100' })).toEqual([
      "EXTRA_FRAME_ANCESTORS: cannot be set in production: only a store's own control panel may frame its admin",
    ]);
  });

  it('when DATABASE_URL carries a password with a character a URL reserves, then the problem says to percent-encode it', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://backorder:ab/cd+ef=@postgres:5432/backorder' })).toEqual([
      'DATABASE_URL: is not a valid URL: a character such as / # ? @ in its user or password must be percent-encoded (%2F %23 %3F %40)',
    ]);
    expect(loadConfig({ DATABASE_URL: 'postgres://backorder:ab%2Fcd+ef=@postgres:5432/backorder' }).databaseUrl).toBe(
      'postgres://backorder:ab%2Fcd+ef=@postgres:5432/backorder',
    );
  });

  it('when several keys are wrong, then one error lists every one of them', () => {
    const problems = problemsOf({ ENCRYPTION_KEY: 'short', DATABASE_URL: 'not a url', PORT: 'eighty', REDIS_URL: 'http://x' });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/ENCRYPTION_KEY: must be 32 bytes/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL: must be a URL starting with postgres:/);
    expect(problems.join('\n')).toMatch(/PORT:/);
    expect(problems.join('\n')).toMatch(/REDIS_URL: must be a URL starting with redis:/);
    try {
      loadConfig({ ENCRYPTION_KEY: 'short', DATABASE_URL: 'not a url' });
    } catch (error) {
      expect((error as Error).message).toMatch(/^Configuration is invalid:\n {2}- ENCRYPTION_KEY.*\n {2}- DATABASE_URL/);
    }
  });

  it('when running in production without secrets, then it refuses and names each missing key', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const key of ['CLIENT_ID', 'CLIENT_SECRET', 'APP_URL', 'ENCRYPTION_KEY', 'DATABASE_URL', 'REDIS_URL']) {
      expect(problems).toContain(`${key}: required in production`);
    }
  });

  it('when production is fully configured, then it starts with exactly that configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      CLIENT_ID: 'id',
      CLIENT_SECRET: 'secret',
      APP_URL: 'https://backorder.example.com/',
      ENCRYPTION_KEY: KEY,
      DATABASE_URL: 'postgres://u:p@db:5432/backorder',
      REDIS_URL: 'redis://cache:6379',
    });
    expect(config.appUrl).toBe('https://backorder.example.com');
    expect(config.extraFrameAncestors).toEqual([]);
    expect(config.encryptionKey).toHaveLength(32);
  });

  it('when ENCRYPTION_KEY_PREVIOUS is set for a rotation, then it is read beside ENCRYPTION_KEY; alone, the same, or malformed it is named', () => {
    const previous = 'b'.repeat(64);
    const config = loadConfig({ ENCRYPTION_KEY: KEY, ENCRYPTION_KEY_PREVIOUS: previous });
    expect(config.previousEncryptionKey?.equals(Buffer.from(previous, 'hex'))).toBe(true);
    expect(loadConfig({ ENCRYPTION_KEY: KEY }).previousEncryptionKey).toBeUndefined();
    expect(problemsOf({ ENCRYPTION_KEY_PREVIOUS: previous })).toEqual(['ENCRYPTION_KEY_PREVIOUS: set only during a rotation, next to the new ENCRYPTION_KEY']);
    expect(problemsOf({ ENCRYPTION_KEY: KEY, ENCRYPTION_KEY_PREVIOUS: KEY })).toEqual([
      'ENCRYPTION_KEY_PREVIOUS: must be the key before ENCRYPTION_KEY, not the same one',
    ]);
    expect(problemsOf({ ENCRYPTION_KEY: KEY, ENCRYPTION_KEY_PREVIOUS: 'short' })[0]).toMatch(/^ENCRYPTION_KEY_PREVIOUS: must be 32 bytes/);
  });

  it('when production has an APP_URL BigCommerce cannot deliver webhooks to, then APP_URL is named with the reason', () => {
    const production = {
      NODE_ENV: 'production',
      CLIENT_ID: 'id',
      CLIENT_SECRET: 'secret',
      ENCRYPTION_KEY: KEY,
      DATABASE_URL: 'postgres://u:p@db:5432/backorder',
      REDIS_URL: 'redis://cache:6379',
    };
    expect(problemsOf({ ...production, APP_URL: 'http://backorder.example.com' })).toEqual([
      'APP_URL: must start with https:// in production: BigCommerce calls the app and delivers webhooks over HTTPS only (got http://backorder.example.com)',
    ]);
    expect(problemsOf({ ...production, APP_URL: 'https://backorder.example.com:8443' })).toEqual([
      'APP_URL: must use port 443 in production (no other port): BigCommerce delivers webhooks to port 443 only (got https://backorder.example.com:8443)',
    ]);
    expect(loadConfig({ ...production, APP_URL: 'https://backorder.example.com:443/' }).appUrl).toBe('https://backorder.example.com:443');
    // Development keeps plain HTTP and any port (the sandbox delivers to loopback).
    expect(loadConfig({ APP_URL: 'http://localhost:3000' }).appUrl).toBe('http://localhost:3000');
  });

  it('when TRUST_PROXY is unset, then production believes one proxy and development none; a bad value is named', () => {
    const production = { NODE_ENV: 'production', CLIENT_ID: 'id', CLIENT_SECRET: 'secret', ENCRYPTION_KEY: KEY, APP_URL: 'https://backorder.example.com' };
    const shared = { DATABASE_URL: 'postgres://u:p@db:5432/backorder', REDIS_URL: 'redis://cache:6379' };
    expect(loadConfig({ ...production, ...shared }).trustProxy).toBe(1);
    expect(loadConfig({ ...production, ...shared, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(problemsOf({ TRUST_PROXY: 'yes' })).toEqual([
      'TRUST_PROXY: must be the number of proxies in front of the app, e.g. 2 for a CDN and a load balancer',
    ]);
    expect(problemsOf({ TRUST_PROXY: '-1' })).toEqual(['TRUST_PROXY: must be 0 or more proxies']);
  });

  it('when the README says how many proxies the app trusts, then it says what TRUST_PROXY does: any count, 2 for a CDN and a load balancer', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const https = readme.slice(readme.indexOf('### 3. Serve it over HTTPS'), readme.indexOf('### 4. '));
    expect(https).toContain('`TRUST_PROXY`');
    expect(https).not.toMatch(/exactly one proxy|not a chain/);
    expect(https).toMatch(/2 for a CDN/);
  });

  it('when WEBHOOK_SIGNATURES is unset, then bad signatures are logged, not refused; a bad value is named', () => {
    expect(loadConfig({}).webhookSignatures).toBe('log');
    expect(loadConfig({ WEBHOOK_SIGNATURES: 'verify' }).webhookSignatures).toBe('verify');
    expect(problemsOf({ WEBHOOK_SIGNATURES: 'strict' })).toEqual(['WEBHOOK_SIGNATURES: must be verify or log']);
  });

  it('when PREPARED_STATEMENTS is unset, then connections prepare the statements they run often; false turns it off; a bad value is named', () => {
    expect(loadConfig({}).preparedStatements).toBe(true);
    expect(loadConfig({ PREPARED_STATEMENTS: 'false' }).preparedStatements).toBe(false);
    expect(problemsOf({ PREPARED_STATEMENTS: 'off' })).toEqual(['PREPARED_STATEMENTS: must be true or false']);
  });

  it('when the Unified Billing keys are all set, then plans are charged; none: no charge; some or malformed: each named', () => {
    expect(loadConfig({}).unifiedBilling).toBeUndefined();
    const billing = { BC_PARTNER_ACCOUNT_UUID: '61db983a-cd07-4d6b-8b59-a5ffe285ca6a', BC_ACCOUNT_API_TOKEN: 'token', BC_APP_ID: '1234' };
    expect(loadConfig(billing).unifiedBilling).toEqual({ partnerAccountUuid: '61db983a-cd07-4d6b-8b59-a5ffe285ca6a', accountApiToken: 'token', appId: '1234' });
    expect(problemsOf({ BC_APP_ID: '1234' })).toEqual([
      'BC_PARTNER_ACCOUNT_UUID: required with BC_APP_ID (Unified Billing needs all three)',
      'BC_ACCOUNT_API_TOKEN: required with BC_APP_ID (Unified Billing needs all three)',
    ]);
    expect(problemsOf({ ...billing, BC_PARTNER_ACCOUNT_UUID: 'acme', BC_APP_ID: 'my-app' })).toEqual([
      'BC_PARTNER_ACCOUNT_UUID: must be the account UUID shown in the Developer Portal, e.g. 61db983a-cd07-4d6b-8b59-a5ffe285ca6a',
      'BC_APP_ID: must be the app id (digits) from the Developer Portal',
    ]);
  });

  it('when CLIENT_ID comes without CLIENT_SECRET, then that is named', () => {
    expect(problemsOf({ CLIENT_ID: 'id' })).toEqual(['CLIENT_SECRET: required when CLIENT_ID is set']);
  });

  it('when an encryption key is given as hex or base64, then both decode to 32 bytes', () => {
    expect(decodeEncryptionKey(KEY)).toHaveLength(32);
    expect(decodeEncryptionKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
    expect(decodeEncryptionKey(Buffer.alloc(16).toString('base64'))).toBeUndefined();
  });

  it('when PURGE_AFTER_DAYS is unset, then uninstalled stores are kept 30 days; a bad value is named', () => {
    expect(loadConfig({}).purgeAfterDays).toBe(30);
    expect(loadConfig({ PURGE_AFTER_DAYS: '0' }).purgeAfterDays).toBe(0);
    expect(loadConfig({ PURGE_AFTER_DAYS: '90' }).purgeAfterDays).toBe(90);
    expect(problemsOf({ PURGE_AFTER_DAYS: 'soon' })).toEqual(['PURGE_AFTER_DAYS: must be a whole number of days']);
    expect(problemsOf({ PURGE_AFTER_DAYS: '-1' })).toEqual(['PURGE_AFTER_DAYS: must be 0 or more days']);
    expect(problemsOf({ PURGE_AFTER_DAYS: '2.5' })).toEqual(['PURGE_AFTER_DAYS: must be a whole number of days']);
  });

  it('when a numeric key is blank (spaces or a tab), then it is unset; anything but a decimal number is named, never read as another number', () => {
    for (const blank of [' ', '\t', '  \t ']) {
      const config = loadConfig({ PURGE_AFTER_DAYS: blank, PORT: blank, METRICS_PORT: blank, TRUST_PROXY: blank, STOREFRONT_API_PER_MINUTE: blank });
      expect(config).toMatchObject({ purgeAfterDays: 30, port: 3000, metricsPort: undefined, trustProxy: 0, storefrontApiPerMinute: 600 });
    }
    expect(loadConfig({ PURGE_AFTER_DAYS: ' 7 ', PORT: '8080' })).toMatchObject({ purgeAfterDays: 7, port: 8080 });
    for (const value of ['0x10', '1e3', '0b1', 'Infinity', '1_000']) {
      expect(problemsOf({ PURGE_AFTER_DAYS: value, PORT: value, METRICS_PORT: value, TRUST_PROXY: value, STOREFRONT_API_PER_MINUTE: value }), value).toEqual([
        'PORT: must be a port number from 0 to 65535',
        'PURGE_AFTER_DAYS: must be a whole number of days',
        'STOREFRONT_API_PER_MINUTE: must be a whole number',
        'TRUST_PROXY: must be the number of proxies in front of the app, e.g. 2 for a CDN and a load balancer',
        'METRICS_PORT: must be a port number from 0 to 65535',
      ]);
    }
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT: must be a port number from 0 to 65535']);
  });

  it('when STOREFRONT_API_PER_MINUTE is unset, then a shopper address gets 600 storefront requests a minute; a bad value is named', () => {
    expect(loadConfig({}).storefrontApiPerMinute).toBe(600);
    expect(loadConfig({ STOREFRONT_API_PER_MINUTE: '5000' }).storefrontApiPerMinute).toBe(5000);
    expect(problemsOf({ STOREFRONT_API_PER_MINUTE: '0' })).toEqual(['STOREFRONT_API_PER_MINUTE: must be 1 or more']);
    expect(problemsOf({ STOREFRONT_API_PER_MINUTE: 'lots' })).toEqual(['STOREFRONT_API_PER_MINUTE: must be a whole number']);
  });

  it('when the README and .env.example say what web and worker need apart, then they name every key the refusal names', () => {
    const needed = problemsOf({}, { apart: 'npm run web' }).flatMap((problem) => problem.split(':')[0]!.split(' and '));
    expect(needed).toEqual(['DATABASE_URL', 'REDIS_URL', 'CLIENT_ID', 'CLIENT_SECRET', 'ENCRYPTION_KEY']);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const runningApart = readme.slice(readme.indexOf('## Running apart'), readme.indexOf('\n## ', readme.indexOf('## Running apart') + 1));
    const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    for (const key of needed) {
      expect(runningApart, key).toContain(`\`${key}\``);
      // The comment above the key (and above the keys it describes with it) marks it as needed apart.
      const above = example
        .slice(0, example.indexOf(`\n${key}=`))
        .split('\n')
        .reverse();
      const from = above.findIndex((line) => line.startsWith('#'));
      const to = above.findIndex((line, index) => index > from && !line.startsWith('#'));
      const block = above.slice(from, to).join('\n');
      expect(block, key).toMatch(/\bapart\b/);
    }
  });

  it('when web or worker run apart with nothing set and a bad value, then one message names every problem, the keys running apart needs among them', () => {
    expect(problemsOf({ PORT: 'eighty' }, { apart: 'npm run worker' })).toEqual([
      'PORT: must be a port number from 0 to 65535',
      'DATABASE_URL: required by npm run worker: the embedded database (PGlite) cannot be shared by two processes; point web and worker at one PostgreSQL server, or use `npm start`, which runs both in one process',
      'REDIS_URL: required by npm run worker: web and worker must share one Redis for their queues',
      'CLIENT_ID and CLIENT_SECRET: required by npm run worker when web and worker run apart',
      'ENCRYPTION_KEY: required by npm run worker when web and worker run apart (both must decrypt the same tokens)',
    ]);
    const apart = {
      DATABASE_URL: 'postgres://localhost/db',
      REDIS_URL: 'redis://localhost:6379',
      CLIENT_ID: 'id',
      CLIENT_SECRET: 'secret',
      ENCRYPTION_KEY: KEY,
    };
    expect(loadConfig(apart, { apart: 'npm run web' }).databaseUrl).toBe('postgres://localhost/db');
    // In production every one of them is required anyway, and named once.
    expect(problemsOf({ NODE_ENV: 'production' }, { apart: 'npm run web' })).toEqual([
      'CLIENT_ID: required in production',
      'CLIENT_SECRET: required in production',
      'APP_URL: required in production',
      'ENCRYPTION_KEY: required in production',
      'DATABASE_URL: required in production',
      'REDIS_URL: required in production',
    ]);
    // `npm start` (not apart) runs with nothing set.
    expect(loadConfig({}).databaseUrl).toBeUndefined();
  });
});
