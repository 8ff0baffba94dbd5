import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../../server/logger.ts';

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
