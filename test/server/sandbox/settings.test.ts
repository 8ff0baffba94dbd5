import { describe, expect, it } from 'vitest';
import { loadSandboxSettings, SandboxSettingsError } from '../../../sandbox/config.ts';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadSandboxSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(SandboxSettingsError);
    return (error as SandboxSettingsError).problems;
  }
  throw new Error('expected the settings to be refused');
}

describe('the sandbox store’s settings', () => {
  it('when nothing is configured, then npm start runs the sandbox on a free port with a Standard plan’s quota', () => {
    expect(loadSandboxSettings({})).toEqual({
      enabled: true,
      port: 0,
      rateLimit: { quota: 150, windowMs: 30_000 },
      webhookTimeScale: 0.001,
    });
  });

  it('when BigCommerce credentials are given, then the sandbox is off unless asked for', () => {
    expect(loadSandboxSettings({ CLIENT_ID: 'id' }).enabled).toBe(false);
    expect(loadSandboxSettings({ CLIENT_ID: 'id', SANDBOX: 'true' }).enabled).toBe(true);
    expect(loadSandboxSettings({ SANDBOX: '0' }).enabled).toBe(false);
  });

  it('when in production, then the sandbox is off, and asking for it is refused', () => {
    expect(loadSandboxSettings({ NODE_ENV: 'production' }).enabled).toBe(false);
    expect(problemsOf({ NODE_ENV: 'production', SANDBOX: 'true' })).toEqual(['SANDBOX: cannot be on in production']);
  });

  it('when several settings are wrong, then one error names each of them', () => {
    const problems = problemsOf({ SANDBOX_PORT: 'eighty', SANDBOX_RATE_LIMIT_QUOTA: '-1', SANDBOX_WEBHOOK_TIME_SCALE: '2' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['SANDBOX_PORT', 'SANDBOX_RATE_LIMIT_QUOTA', 'SANDBOX_WEBHOOK_TIME_SCALE']);
    expect(loadSandboxSettings({ SANDBOX_RATE_LIMIT_QUOTA: '0', SANDBOX_RATE_LIMIT_WINDOW_MS: '1000' }).rateLimit).toEqual({ quota: 0, windowMs: 1000 });
  });
});
