/**
 * `npm start`: everything a newcomer needs, in one process. Starts a local redis-server when REDIS_URL is
 * unset, the sandbox store and its demo storefronts when the sandbox is on (no BigCommerce credentials),
 * builds the storefront bundle, then the app (embedded PGlite in .data/ unless DATABASE_URL is set) with its web server and
 * workers, and prints where to go. Ctrl-C stops it all cleanly.
 */
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { UnreachableError } from '../server/errors.ts';
import { withDevelopmentSecrets } from '../server/dev-secrets.ts';
import { createLogger, duration, type Logger } from '../server/logger.ts';
import { start, type Running } from '../server/main.ts';
import { loadSandboxSettings, SandboxSettingsError, type SandboxSettings } from '../sandbox/config.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { findStore } from '../server/stores/stores.repo.ts';
import { buildStorefront } from './lib/build-storefront.ts';
import { onShutdown, ROOT } from './lib/process.ts';
import { startRedisServer } from './lib/redis-server.ts';
import { ensureSystemTools, redisServer } from './lib/system.ts';

const cleanups: Array<() => Promise<void>> = [];

async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** The app's configuration and the sandbox's settings, every problem of both named in one error. */
function loadSettings(): { config: Config; sandboxSettings: SandboxSettings } {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError || error instanceof SandboxSettingsError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const config = attempt(() => loadConfig());
  const sandboxSettings = attempt(() => loadSandboxSettings());
  if (!config || !sandboxSettings) throw new ConfigError(problems);
  return { config, sandboxSettings };
}

async function main(): Promise<void> {
  const settings = loadSettings();
  const secrets = await withDevelopmentSecrets(settings.config);
  let config = secrets.config;
  const logger = createLogger({ level: config.logLevel });
  if (secrets.file) {
    logger.info(
      `development mode: secrets ${secrets.created ? 'generated in' : 'read from'} ${secrets.file} (set CLIENT_ID, CLIENT_SECRET and ENCRYPTION_KEY to use your own)`,
    );
  }

  onShutdown(runCleanups);

  if (!config.redisUrl) {
    const [binary] = ensureSystemTools([redisServer], (line) => logger.info(line));
    const since = Date.now();
    const redis = await startRedisServer({ binary: binary!, dir: path.join(config.dataDir, 'redis') });
    cleanups.push(() => redis.stop());
    config = { ...config, redisUrl: redis.url };
    logger.info(`redis-server started on ${redis.url} in ${duration(Date.now() - since)} (data in ${path.join(config.dataDir, 'redis')})`);
  }

  const sandboxSince = Date.now();
  const sandbox = settings.sandboxSettings.enabled ? await startSandboxStore(config, settings.sandboxSettings, logger) : undefined;
  if (sandbox) {
    cleanups.push(() => sandbox.stop());
    // The app reaches the sandbox only over HTTP, exactly as it would reach BigCommerce; the sandbox's
    // control panel (its own origin) frames the admin as BigCommerce's does.
    config = {
      ...config,
      bigcommerce: { apiUrl: sandbox.url, loginUrl: sandbox.url },
      extraFrameAncestors: [...config.extraFrameAncestors, new URL(sandbox.url).origin],
      // Plans are charged through the sandbox's Unified Billing (its Account API and merchant checkout).
      unifiedBilling: config.unifiedBilling ?? sandbox.billing.config(),
    };
    logger.info({ url: sandbox.url }, `sandbox store started in ${duration(Date.now() - sandboxSince)}`);
  }

  // Built by npm ci already; again only when storefront/src, the Rollup config or the lockfile changed since.
  const buildSince = Date.now();
  if (await buildStorefront(ROOT)) logger.info(`storefront bundle built in ${duration(Date.now() - buildSince)}`);

  const app = await start({ config, logger });
  cleanups.push(() => app.stop());
  sandbox?.setAppUrl(app.url);
  const adminUrl = sandbox ? await openInSandbox(sandbox, app, logger) : undefined;

  const lines = [
    '',
    'backorder is running',
    `  app:      ${app.url}`,
    `  health:   ${app.url}/healthz`,
    ...(sandbox
      ? [
          `  sandbox:  ${sandbox.url} (BigCommerce stand-in; stores: ${sandbox
            .stores()
            .map((s) => s.storeHash)
            .join(', ')})`,
          ...sandbox.stores().map((s) => `  shop:     ${s.storefrontUrl} (demo storefront of ${s.storeHash})`),
        ]
      : []),
    ...(adminUrl ? [`  admin:    ${adminUrl}`] : []),
    `  database: ${app.database.engine === 'pglite' ? `embedded PGlite in ${path.join(config.dataDir, 'pglite')}` : 'PostgreSQL server (DATABASE_URL)'}`,
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Installs the app into the sandbox's first store through the real flow — the sandbox calls /auth with a
 * one-time code, as BigCommerce does — unless the app already has it installed, and returns the URL of the
 * sandbox control panel's app page, which opens the admin in its iframe through a fresh /load link each
 * time (a signed payload works once).
 */
async function openInSandbox(sandbox: Sandbox, app: Running, logger: Logger): Promise<string | undefined> {
  const first = sandbox.stores()[0];
  if (!first) return undefined;
  const installed = await findStore(app.database.db, first.storeHash);
  if (installed?.status !== 'active') {
    const result = await sandbox.install(first.storeHash, { call: true });
    if (result.status === 302) logger.info({ storeHash: first.storeHash }, 'app installed into the sandbox store');
    else logger.warn({ status: result.status, error: result.error }, 'installing the app into the sandbox store failed');
  }
  return `${sandbox.url}/__sandbox/stores/${first.storeHash}/manage/app`;
}

/** The sandbox store (a local BigCommerce), its state kept in the data folder; a demo store on first start. */
async function startSandboxStore(config: Config, settings: SandboxSettings, logger: Logger) {
  // Loaded only when on: its dependencies (esbuild's theme bundle, jQuery, stencil-utils) are
  // devDependencies, absent from a production install (npm ci --omit=dev).
  const { startSandbox } = await import('../sandbox/index.ts');
  if (!config.clientId || !config.clientSecret) throw new ConfigError(["CLIENT_ID: the sandbox store needs the app's client id and secret"]);
  const sandbox = await startSandbox({
    port: settings.port,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    rateLimit: settings.rateLimit,
    webhookTimeScale: settings.webhookTimeScale,
    stateFile: path.join(config.dataDir, 'sandbox', 'state.json'),
  });
  if (sandbox.stores().length === 0) {
    const since = Date.now();
    const { storeHash } = await sandbox.createStore({ name: 'Sandbox demo store' });
    logger.info(`sandbox demo store ${storeHash} created in ${duration(Date.now() - since)}`);
  }
  return sandbox;
}

main().catch(async (error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof UnreachableError ? error.message : error);
  await runCleanups().catch(() => {});
  process.exit(1);
});
