import { Writable } from 'node:stream';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { requestIsAbout, requestLogging } from '../../../server/http/request-logging.ts';
import { createLogger, redactUrl } from '../../../server/logger.ts';
import { listen } from '../../helpers/http.ts';

describe('logging', () => {
  it('when an object carries an access token, then the line shows it redacted', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _e, done) => (lines.push(chunk.toString()), done()) });
    const logger = createLogger({ level: 'info', destination });
    logger.info({ store: { accessToken: 'tok-123', hash: 'abc' }, access_token: 'tok-456' }, 'installed');
    expect(lines.join('')).not.toMatch(/tok-123|tok-456/);
    expect(lines.join('')).toMatch(/\[Redacted\]/);
  });

  it('when a URL carries a code or signed payload, then those parameters are masked', () => {
    expect(redactUrl('/auth?code=abc&scope=x&context=stores/h')).toBe('/auth?code=%5BRedacted%5D&scope=x&context=stores%2Fh');
    expect(redactUrl('/load?signed_payload_jwt=a.b.c')).toBe('/load?signed_payload_jwt=%5BRedacted%5D');
    expect(redactUrl('/healthz')).toBe('/healthz');
  });
});

describe("a request's lines", () => {
  it('when a request says which store it is about, then the lines it logs from then on carry the store hash, once', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _e, done) => (lines.push(chunk.toString()), done()) });
    const app = express();
    app.use(requestLogging(createLogger({ level: 'info', destination })));
    app.get('/about', (req, res) => {
      req.log.info('before the store is known');
      requestIsAbout(res, 'abc123');
      requestIsAbout(res, 'abc123');
      req.log.warn('about the store');
      res.status(204).end();
    });
    const server = await listen(app);
    try {
      expect((await fetch(`${server.url}/about`)).status).toBe(204);
      await expect.poll(() => lines.length).toBe(3);
    } finally {
      await server.close();
    }
    const [before, about, request] = lines.map((line) => JSON.parse(line) as { msg: string; storeHash?: string });
    expect([before!.msg, before!.storeHash]).toEqual(['before the store is known', undefined]);
    expect([about!.msg, about!.storeHash]).toEqual(['about the store', 'abc123']);
    expect(lines[1]!.match(/"storeHash"/g)).toHaveLength(1);
    expect(request!.storeHash).toBe('abc123');
  });
});
