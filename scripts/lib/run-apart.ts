/** Runs the web server or the workers as a process of its own, sharing PostgreSQL and Redis with the rest. */
import { ConfigError, loadConfig } from '../../server/config.ts';
import { UnreachableError } from '../../server/errors.ts';
import { createLogger } from '../../server/logger.ts';
import { start } from '../../server/main.ts';
import { storefrontBuildState } from './build-storefront.ts';
import { onShutdown, ROOT } from './process.ts';

/** Why the storefront bundle cannot be served as it is, or undefined. Web serves it; workers register it in stores. */
function storefrontBundleProblem(): string | undefined {
  const state = storefrontBuildState(ROOT);
  if (state === 'current') return undefined;
  const what = state === 'missing' ? 'is not built' : 'is older than storefront/src';
  return `The storefront bundle (storefront/dist) ${what}: run \`npm run build:storefront\` (every \`npm ci\` builds it, unless scripts are turned off).`;
}

export async function runApart(name: string, parts: { web: boolean; workers: boolean }): Promise<void> {
  try {
    // Every problem in one message: a bad value, and the keys running apart needs (shared services, secrets).
    const config = loadConfig(process.env, { apart: name });
    const bundleProblem = storefrontBundleProblem();
    if (bundleProblem) {
      console.error(bundleProblem);
      process.exit(1);
    }
    const logger = createLogger({ level: config.logLevel });
    // The worker runs each store job (an import, a catalog sync, an install) in a process of its own.
    const app = await start({ config, logger, ...parts, storeJobs: 'apart' });
    onShutdown(() => app.stop());
    logger.info(parts.web ? `${name}: serving ${app.url}` : `${name}: workers running`);
  } catch (error) {
    console.error(error instanceof ConfigError || error instanceof UnreachableError ? error.message : error);
    process.exit(1);
  }
}
