/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits. */
import { ConfigError, loadConfig } from '../server/config.ts';
import { configuredDatabase, openDatabase, reachDatabase } from '../server/db/database.ts';
import { UnreachableError } from '../server/errors.ts';
import { lockWaitMessage, migrate } from '../server/db/migrate.ts';

try {
  const config = loadConfig();
  const database = await openDatabase(configuredDatabase(config));
  try {
    await reachDatabase(database, config.databaseUrl);
    const applied = await migrate(database.db, undefined, (wait) => console.error(lockWaitMessage(wait)));
    console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof UnreachableError ? error.message : error);
  process.exit(1);
}
