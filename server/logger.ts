/**
 * One pino logger for the process. Secrets never reach a log line: known secret fields are redacted
 * wherever they appear, and URLs lose the query parameters that carry credentials. Every line about one
 * store carries the store's hash (`storeHash`), so an operator can follow one store through the web
 * process and the workers: a line names it where it is written (a job's and a BigCommerce call's lines), and
 * a request's own logger carries it once the request says which store it is about (`requestIsAbout`).
 *
 * Not through AsyncLocalStorage: on Node 20 it runs a hook on every promise the process makes, and the
 * webhook pipeline makes so many (PostgreSQL, Redis, HTTP) that the hooks cost a tenth of its CPU.
 */
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

const SECRET_FIELDS = ['accessToken', 'access_token', 'clientSecret', 'client_secret', 'encryptionKey', 'previousEncryptionKey', 'token', 'password', 'secret'];

export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.*.${field}`),
  'req.headers["x-auth-token"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-backorder-session"]',
  'req.headers["x-webhook-secret"]',
  'req.headers["x-backorder-webhook-secret"]',
  'res.headers["set-cookie"]',
];

const SECRET_QUERY_PARAMS = ['code', 'signed_payload_jwt', 'signed_payload', 'session', 'token', 'access_token'];

/** The URL with credential-bearing query parameters masked, fit for a log line. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  for (const name of SECRET_QUERY_PARAMS) if (params.has(name)) params.set(name, '[Redacted]');
  return `${url.slice(0, queryStart)}?${params.toString()}`;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; a test passes a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

/** Creates the process logger. */
export function createLogger({ level, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      base: { app: 'backorder' },
    },
    destination ?? process.stdout,
  );
}

/** A duration as a person reads it in a log line: `0.4 s`, `12 s`. */
export function duration(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** A gate for a log line that would repeat: `due()` is true at most once every `intervalMs`, and at once after `reopen()`. */
export function atMostEvery(intervalMs: number): { due(): boolean; reopen(): void } {
  let openedAt = -Infinity;
  return {
    due() {
      const now = Date.now();
      if (now - openedAt < intervalMs) return false;
      openedAt = now;
      return true;
    },
    reopen() {
      openedAt = -Infinity;
    },
  };
}
