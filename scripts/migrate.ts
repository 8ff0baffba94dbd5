/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits. */
import { ConfigError, loadConfig } from '../server/config.ts';
import { configuredDatabase, openDatabase } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';

try {
  const config = loadConfig();
  const database = await openDatabase(configuredDatabase(config));
  try {
    const applied = await migrate(database.db);
    console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
