import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { STOREFRONT_DIST_DIR } from '../../../server/registration/storefront-bundle.ts';
import { AppError } from '../../../server/errors.ts';
import { errorHandler } from '../../../server/http/error-handler.ts';
import { requestLogging } from '../../../server/http/request-logging.ts';
import { createLogger } from '../../../server/logger.ts';
import { createRedis } from '../../../server/redis.ts';
import { createQueues } from '../../../server/workers/queues.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { testConfig } from '../../helpers/config.ts';
import { fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { listen } from '../../helpers/http.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('the web app', () => {
  it('when the database and Redis answer, then /healthz says ok', async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok', engine: 'postgres' });
  });

  it('when Redis is unreachable, then /healthz answers 503 naming Redis, while /readyz keeps the process in traffic, degraded, and /livez says alive', async () => {
    const redis = createRedis('redis://127.0.0.1:1', 'producer');
    const queues = createQueues(redis, '{health-test}', createLogger({ level: 'silent' }));
    const broken = createApp({
      config: { ...testConfig(), appUrl: 'http://localhost' },
      logger: createLogger({ level: 'silent' }),
      database: app.database,
      redis,
      queues,
      // Neither is exercised here; the real cache needs a live Redis to subscribe to.
      gateway: fakeBigCommerce().gatewayWith(async () => 'unused'),
      availabilityCache: { peek: () => undefined, get: (_store, _key, compute) => compute(), close: async () => {} },
    });
    const server = await listen(broken);
    try {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as Record<string, string>;
      expect(body.database).toBe('ok');
      expect(body.redis).toMatch(/^down/);
      // Deliveries are recorded and the storefront API answers without Redis: a load balancer must not drop the process.
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'degraded', database: 'ok', redis: expect.stringMatching(/^down/), migrations: 'ok' });
      const live = await fetch(`${server.url}/livez`);
      expect([live.status, await live.json()]).toEqual([200, { status: 'alive' }]);
    } finally {
      await server.close();
      await queues.close().catch(() => {});
      redis.disconnect();
    }
  });

  it('when a page of no store is framed, then only a BigCommerce control panel may frame it', async () => {
    const response = await fetch(`${app.url}/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/\*\.mybigcommerce\.com(;|$)/);
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('when a request comes in, then its id is echoed, or one is made', async () => {
    const given = await fetch(`${app.url}/healthz`, { headers: { 'X-Request-Id': 'trace-12345678' } });
    expect(given.headers.get('x-request-id')).toBe('trace-12345678');
    const made = await fetch(`${app.url}/healthz`, { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when an API path is unknown, then the answer is JSON; for a person it is an HTML page', async () => {
    const api = await fetch(`${app.url}/api/nothing-here`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { kind: 'not_found', message: 'Nothing is at GET /api/nothing-here.' } });

    const page = await fetch(`${app.url}/nothing-here`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/<h1 id="error-title">Page not found<\/h1>/);
  });

  it('when a store page loads the storefront bundle, then it may be read cross-origin', async () => {
    await mkdir(STOREFRONT_DIST_DIR, { recursive: true });
    await writeFile(path.join(STOREFRONT_DIST_DIR, 'cors-probe.js'), '// probe');
    const response = await fetch(`${app.url}/storefront/cors-probe.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });
});

describe('the error handler', () => {
  async function serverThrowing(error: unknown) {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (l: string) => lines.push(l) } as never });
    const mini = express();
    mini.use(requestLogging(logger));
    mini.get('/api/boom', () => {
      throw error;
    });
    mini.use(errorHandler);
    return { server: await listen(mini), lines };
  }

  it('when a bug throws, then the caller gets a generic message and the request id, and the log gets the detail', async () => {
    const { server, lines } = await serverThrowing(new Error('db password is hunter2'));
    try {
      const response = await fetch(`${server.url}/api/boom`);
      expect(response.status).toBe(500);
      const body = (await response.json()) as { error: { message: string; requestId: string } };
      expect(body.error.message).toBe('Something went wrong on our side.');
      expect(JSON.stringify(body)).not.toMatch(/hunter2/);
      expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
      expect(lines.join('')).toMatch(/hunter2/);
    } finally {
      await server.close();
    }
  });

  it('when input is invalid, then every problem is listed with its field', async () => {
    const { server } = await serverThrowing(
      new AppError('validation', 'Some rows are invalid.', {
        problems: [
          { field: 'line 2, column sku', message: 'unknown SKU' },
          { field: 'line 3, column backorder_threshold', message: 'must not be negative' },
        ],
      }),
    );
    try {
      const response = await fetch(`${server.url}/api/boom`);
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({
        error: { kind: 'validation', problems: [{ field: 'line 2, column sku' }, { field: 'line 3, column backorder_threshold' }] },
      });
    } finally {
      await server.close();
    }
  });
});
