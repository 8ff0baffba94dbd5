/**
 * The sandbox store's own settings, read from the environment by whoever starts it (`npm start`). The app
 * never reads them: it reaches the sandbox through BC_API_URL / BC_LOGIN_URL like any BigCommerce.
 * Every problem is named in one error, as the app's configuration does.
 */
import { z } from 'zod';
import type { RateLimitOptions } from './rate-limit.ts';

export interface SandboxSettings {
  /** Whether `npm start` starts the sandbox: asked with SANDBOX, else on in development without CLIENT_ID. */
  enabled: boolean;
  /** The sandbox's HTTP port; 0 picks a free one. */
  port: number;
  /** Per-store API quota (BigCommerce's Standard plan: 150 per 30 s); quota 0 = unlimited. */
  rateLimit: RateLimitOptions;
  /** Multiplies BigCommerce's webhook retry schedule (1 = real time). */
  webhookTimeScale: number;
}

/** Thrown when a sandbox setting is unusable; `problems` holds one line per key. */
export class SandboxSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Sandbox settings are invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example.`);
    this.name = 'SandboxSettingsError';
  }
}

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const settingsSchema = z.object({
  NODE_ENV: z.string().optional(),
  CLIENT_ID: z.string().optional(),
  SANDBOX: flag.optional(),
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  SANDBOX_RATE_LIMIT_QUOTA: z.coerce.number().int().min(0).default(150),
  SANDBOX_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1).default(30_000),
  SANDBOX_WEBHOOK_TIME_SCALE: z.coerce.number().positive().max(1).default(0.001),
});

/** Reads the sandbox's settings; throws SandboxSettingsError naming every problem. */
export function loadSandboxSettings(env: NodeJS.ProcessEnv = process.env): SandboxSettings {
  // An empty variable means "not set", as in the app's configuration.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = settingsSchema.safeParse(present);
  if (!parsed.success) throw new SandboxSettingsError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && e.SANDBOX === true) throw new SandboxSettingsError(['SANDBOX: cannot be on in production']);
  return {
    // Without BigCommerce credentials, development runs against the local sandbox store.
    enabled: e.SANDBOX ?? (!production && e.CLIENT_ID === undefined),
    port: e.SANDBOX_PORT,
    rateLimit: { quota: e.SANDBOX_RATE_LIMIT_QUOTA, windowMs: e.SANDBOX_RATE_LIMIT_WINDOW_MS },
    webhookTimeScale: e.SANDBOX_WEBHOOK_TIME_SCALE,
  };
}
