/**
 * The only reader of process.env. Validates once, names every missing or malformed key in one message,
 * and returns a typed, camelCased configuration. Development secrets (when none are configured) are
 * filled in by `dev-secrets.ts`, never here.
 */
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An ENCRYPTION_KEY is 32 bytes, given as 64 hex characters or as 44 characters of base64. */
export function decodeEncryptionKey(value: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(value)) return Buffer.from(value, 'base64');
  return undefined;
}

/**
 * A URL of one of `protocols`. One that starts right but does not parse almost always carries a password with
 * a character a URL reserves (a generated one often has a `/`): the message says to encode it.
 */
const urlWithProtocols = (protocols: string[], example: string) =>
  z.string().superRefine((value, context) => {
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol;
    } catch {
      // Said below.
    }
    if (protocol !== undefined && protocols.includes(protocol)) return;
    const startsRight = protocols.some((p) => value.startsWith(`${p}//`));
    context.addIssue({
      code: 'custom',
      message:
        protocol === undefined && startsRight
          ? 'is not a valid URL: a character such as / # ? @ in its user or password must be percent-encoded (%2F %23 %3F %40)'
          : `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}, e.g. ${example}`,
    });
  });

const encryptionKey = z
  .string()
  .refine((v) => decodeEncryptionKey(v) !== undefined, {
    message: 'must be 32 bytes as 64 hex characters or base64 (generate one: openssl rand -hex 32)',
  })
  .optional();
const origin = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return ['http:', 'https:'].includes(url.protocol) && url.origin === value.replace(/\/$/, '');
    } catch {
      return false;
    }
  },
  { message: 'must be origins (scheme, host and port, no path), e.g. http://127.0.0.1:4000' },
);
const optionalString = z.string().trim().min(1).optional();
/**
 * A number written in decimal, then checked by `number`. z.coerce.number would take more than that: "0x10" as
 * 16, "1e3" as 1000, and any whitespace as 0 (PURGE_AFTER_DAYS=" " would purge at the next hourly run).
 */
const decimal = (message: string, number: z.ZodNumber) =>
  z
    .string()
    .trim()
    .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)$/, message)
    .transform(Number)
    .pipe(number);
const PORT_MESSAGE = 'must be a port number from 0 to 65535';
const port = decimal(PORT_MESSAGE, z.number().int(PORT_MESSAGE).min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  APP_URL: urlWithProtocols(['http:', 'https:'], 'https://backorder.example.com').optional(),
  CLIENT_ID: optionalString,
  CLIENT_SECRET: optionalString,
  ENCRYPTION_KEY: encryptionKey,
  ENCRYPTION_KEY_PREVIOUS: encryptionKey,
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user:pass@localhost:5432/backorder').optional(),
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:'], 'redis://127.0.0.1:6379').optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]+$/, 'may hold letters, digits, _ - { } only')
    .default('{backorder}'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),
  BC_API_URL: urlWithProtocols(['http:', 'https:'], 'https://api.bigcommerce.com').default('https://api.bigcommerce.com'),
  BC_LOGIN_URL: urlWithProtocols(['http:', 'https:'], 'https://login.bigcommerce.com').default('https://login.bigcommerce.com'),
  EXTRA_FRAME_ANCESTORS: z
    .string()
    .transform((value) => value.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(origin))
    .default([]),
  PURGE_AFTER_DAYS: decimal(
    'must be a whole number of days',
    z.number().int('must be a whole number of days').min(0, 'must be 0 or more days').max(3650, 'must be at most 3650 days (10 years)'),
  ).default(30),
  STOREFRONT_API_PER_MINUTE: decimal('must be a whole number', z.number().int('must be a whole number').min(1, 'must be 1 or more')).default(600),
  TRUST_PROXY: decimal(
    'must be the number of proxies in front of the app, e.g. 2 for a CDN and a load balancer',
    z.number().int('must be a whole number of proxies').min(0, 'must be 0 or more proxies').max(10, 'must be at most 10 proxies'),
  ).optional(),
  WEBHOOK_SIGNATURES: z.enum(['verify', 'log'], { message: 'must be verify or log' }).default('log'),
  BC_PARTNER_ACCOUNT_UUID: z.uuid({ message: 'must be the account UUID shown in the Developer Portal, e.g. 61db983a-cd07-4d6b-8b59-a5ffe285ca6a' }).optional(),
  BC_ACCOUNT_API_TOKEN: optionalString,
  BC_APP_ID: z.string().regex(/^\d+$/, 'must be the app id (digits) from the Developer Portal').optional(),
  OPERATOR_TOKEN: z.string().min(24, 'must be at least 24 characters (generate one: openssl rand -hex 32)').optional(),
  METRICS_PORT: port.optional(),
  MIGRATE_ON_START: z.enum(['true', 'false'], { message: 'must be true or false' }).default('true'),
  PREPARED_STATEMENTS: z.enum(['true', 'false'], { message: 'must be true or false' }).default('true'),
});

const UNIFIED_BILLING_KEYS = ['BC_PARTNER_ACCOUNT_UUID', 'BC_ACCOUNT_API_TOKEN', 'BC_APP_ID'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  mode: 'development' | 'production' | 'test';
  port: number;
  /** Public base URL of the app; resolved from the listening port when unset outside production. */
  appUrl: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  encryptionKey: Buffer | undefined;
  /**
   * During a key rotation, the ENCRYPTION_KEY before: tokens and webhook secrets made with it are still
   * read until `npm run reconcile` has rewritten them under the new key (see keyring.ts).
   */
  previousEncryptionKey: Buffer | undefined;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  queuePrefix: string;
  logLevel: LogLevel;
  dataDir: string;
  /** Days an uninstalled store's data is kept (a reinstall within them finds it again) before it is purged. */
  purgeAfterDays: number;
  /** Storefront API requests one client address may make per minute, across the web processes sharing Redis. */
  storefrontApiPerMinute: number;
  /**
   * The proxies in front of the app (a load balancer, a CDN) whose X-Forwarded-For and X-Forwarded-Proto it
   * believes: a shopper's address is the one the last of them saw. 1 in production by default, else 0.
   */
  trustProxy: number;
  /**
   * What a webhook delivery's bad Standard Webhooks signature does when its secret header is right:
   * `log` accepts it with a warning (BigCommerce's signing key is unconfirmed, ref §6.3), `verify` refuses it.
   */
  webhookSignatures: 'verify' | 'log';
  bigcommerce: { apiUrl: string; loginUrl: string };
  /**
   * Origins that may frame the admin beside the store's control panel: a local stand-in's control panel in
   * development (`npm start` adds the sandbox store's). Never in production.
   */
  extraFrameAncestors: string[];
  /**
   * BigCommerce Unified Billing (the partner's GraphQL Account API): plans are charged on the merchant's
   * BigCommerce invoice. Undefined: plans change without charge.
   */
  unifiedBilling: UnifiedBillingConfig | undefined;
  /** Bearer token of `/metrics` and the operator pages (`/operator`); unset, they refuse every request. */
  operatorToken: string | undefined;
  /** Where a process without HTTP (`npm run worker`) serves `/metrics`; unset, it serves none. */
  metricsPort: number | undefined;
  /** Whether start() applies pending migrations; false where a deploy step runs `npm run migrate` once. */
  migrateOnStart: boolean;
  /** Whether connections to a PostgreSQL server prepare the statements they run often (db/prepared-statements.ts). */
  preparedStatements: boolean;
}

/** The partner account that owns the app, its account-level API token, and the app's id. */
export interface UnifiedBillingConfig {
  partnerAccountUuid: string;
  accountApiToken: string;
  appId: string;
}

/** Thrown when configuration is unusable; `problems` holds one line per key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example.`);
    this.name = 'ConfigError';
  }
}

const PRODUCTION_REQUIRED = ['CLIENT_ID', 'CLIENT_SECRET', 'APP_URL', 'ENCRYPTION_KEY', 'DATABASE_URL', 'REDIS_URL'] as const;

/**
 * Why BigCommerce could not call an APP_URL, or undefined: it delivers webhooks (and opens the app) only
 * over HTTPS on port 443 (ref §6.1), so production takes no other scheme or port.
 */
function unreachableByBigCommerce(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined; // the schema has named it already
  }
  if (url.protocol !== 'https:')
    return `must start with https:// in production: BigCommerce calls the app and delivers webhooks over HTTPS only (got ${value})`;
  // URL drops the default port, so any port left is not 443.
  if (url.port !== '') return `must use port 443 in production (no other port): BigCommerce delivers webhooks to port 443 only (got ${value})`;
  return undefined;
}

/**
 * Reads and validates the environment once; throws ConfigError naming every problem. `apart` names the
 * process when it runs apart from `npm start` (`npm run web`), which needs shared services and secrets too.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { apart?: string } = {}): Config {
  // An empty variable means "not set", as in most .env tooling; so does one of only spaces or tabs (a value
  // left blank after the = in an editor that pads), which a number would otherwise read as 0.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(present);
  const problems: string[] = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);

  const mode = parsed.success ? parsed.data.NODE_ENV : ((present.NODE_ENV as Config['mode']) ?? 'development');
  if (mode === 'production') {
    for (const key of PRODUCTION_REQUIRED) {
      if (present[key] === undefined) problems.push(`${key}: required in production`);
    }
    if (present.EXTRA_FRAME_ANCESTORS !== undefined) {
      problems.push("EXTRA_FRAME_ANCESTORS: cannot be set in production: only a store's own control panel may frame its admin");
    }
    const unreachable = present.APP_URL === undefined ? undefined : unreachableByBigCommerce(present.APP_URL);
    if (unreachable) problems.push(`APP_URL: ${unreachable}`);
  } else if (options.apart) {
    problems.push(...apartProblems(present, options.apart));
  }
  if (present.ENCRYPTION_KEY_PREVIOUS !== undefined && present.ENCRYPTION_KEY === undefined) {
    problems.push('ENCRYPTION_KEY_PREVIOUS: set only during a rotation, next to the new ENCRYPTION_KEY');
  }
  if (present.ENCRYPTION_KEY_PREVIOUS !== undefined && present.ENCRYPTION_KEY_PREVIOUS === present.ENCRYPTION_KEY) {
    problems.push('ENCRYPTION_KEY_PREVIOUS: must be the key before ENCRYPTION_KEY, not the same one');
  }
  if (present.CLIENT_ID !== undefined && present.CLIENT_SECRET === undefined) {
    problems.push('CLIENT_SECRET: required when CLIENT_ID is set');
  }
  const billingKeys = UNIFIED_BILLING_KEYS.filter((key) => present[key] !== undefined);
  if (billingKeys.length > 0 && billingKeys.length < UNIFIED_BILLING_KEYS.length) {
    for (const key of UNIFIED_BILLING_KEYS.filter((k) => present[k] === undefined)) {
      problems.push(`${key}: required with ${billingKeys.join(' and ')} (Unified Billing needs all three)`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const e = parsed.data;
  return {
    mode: e.NODE_ENV,
    port: e.PORT,
    appUrl: e.APP_URL?.replace(/\/+$/, ''),
    clientId: e.CLIENT_ID,
    clientSecret: e.CLIENT_SECRET,
    encryptionKey: e.ENCRYPTION_KEY === undefined ? undefined : decodeEncryptionKey(e.ENCRYPTION_KEY),
    previousEncryptionKey: e.ENCRYPTION_KEY_PREVIOUS === undefined ? undefined : decodeEncryptionKey(e.ENCRYPTION_KEY_PREVIOUS),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.DATA_DIR),
    purgeAfterDays: e.PURGE_AFTER_DAYS,
    storefrontApiPerMinute: e.STOREFRONT_API_PER_MINUTE,
    trustProxy: e.TRUST_PROXY ?? (e.NODE_ENV === 'production' ? 1 : 0),
    webhookSignatures: e.WEBHOOK_SIGNATURES,
    bigcommerce: { apiUrl: e.BC_API_URL.replace(/\/+$/, ''), loginUrl: e.BC_LOGIN_URL.replace(/\/+$/, '') },
    extraFrameAncestors: e.EXTRA_FRAME_ANCESTORS.map((value) => new URL(value).origin),
    unifiedBilling:
      e.BC_PARTNER_ACCOUNT_UUID && e.BC_ACCOUNT_API_TOKEN && e.BC_APP_ID
        ? { partnerAccountUuid: e.BC_PARTNER_ACCOUNT_UUID, accountApiToken: e.BC_ACCOUNT_API_TOKEN, appId: e.BC_APP_ID }
        : undefined,
    operatorToken: e.OPERATOR_TOKEN,
    metricsPort: e.METRICS_PORT,
    migrateOnStart: e.MIGRATE_ON_START === 'true',
    preparedStatements: e.PREPARED_STATEMENTS === 'true',
  };
}

/**
 * What a process running apart from `npm start` (web, worker) cannot do without, outside production (where
 * every one of these keys is required anyway): one line per missing key, saying why.
 */
function apartProblems(present: Record<string, string | undefined>, processName: string): string[] {
  const problems: string[] = [];
  if (present.DATABASE_URL === undefined) {
    problems.push(
      `DATABASE_URL: required by ${processName}: the embedded database (PGlite) cannot be shared by two processes; ` +
        'point web and worker at one PostgreSQL server, or use `npm start`, which runs both in one process',
    );
  }
  if (present.REDIS_URL === undefined) problems.push(`REDIS_URL: required by ${processName}: web and worker must share one Redis for their queues`);
  if (present.CLIENT_ID === undefined) problems.push(`CLIENT_ID and CLIENT_SECRET: required by ${processName} when web and worker run apart`);
  if (present.ENCRYPTION_KEY === undefined) {
    problems.push(`ENCRYPTION_KEY: required by ${processName} when web and worker run apart (both must decrypt the same tokens)`);
  }
  return problems;
}

/**
 * The configuration as text, for a process this one starts with it (the store-jobs processes,
 * workers/store-jobs.worker.ts): the same values whether they came from the environment or from a test.
 */
export function configToText(config: Config): string {
  return JSON.stringify(config);
}

/** The configuration `configToText` wrote; its keys (Buffers, through JSON) as they were. */
export function configFromText(text: string): Config {
  return JSON.parse(text, (_key, value: unknown) => {
    const buffer = value as { type?: unknown; data?: unknown } | null;
    return buffer?.type === 'Buffer' && Array.isArray(buffer.data) ? Buffer.from(buffer.data as number[]) : value;
  }) as Config;
}
