/** Runs the web server or the workers as a process of its own, sharing PostgreSQL and Redis with the rest. */
import { ConfigError, loadConfig, requireSharedServices } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { start } from '../../server/main.ts';
import { onShutdown } from './process.ts';

export async function runApart(name: string, parts: { web: boolean; workers: boolean }): Promise<void> {
  try {
    const config = loadConfig();
    requireSharedServices(config, name);
    if (!config.clientId || !config.encryptionKey) {
      throw new ConfigError([
        ...(config.clientId ? [] : ['CLIENT_ID and CLIENT_SECRET: required when web and worker run apart']),
        ...(config.encryptionKey ? [] : ['ENCRYPTION_KEY: required when web and worker run apart (both must decrypt the same tokens)']),
      ]);
    }
    const logger = createLogger({ level: config.logLevel });
    const app = await start({ config, logger, ...parts });
    onShutdown(() => app.stop());
    logger.info(parts.web ? `${name}: serving ${app.url}` : `${name}: workers running`);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
}
