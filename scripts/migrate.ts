// `npm run migrate` applies pending migrations; `npm run migrate -- --down` reverts the last one.
import { ConfigError, loadConfig } from '../src/lib/server/config.js';
import { migrateDown, migrateToLatest, openDatabase } from '../src/lib/server/db/database.js';

async function run(): Promise<void> {
  const config = loadConfig();
  const database = openDatabase(config);
  try {
    if (process.argv.includes('--down')) {
      const name = await migrateDown(database.db);
      console.log(name ? `Reverted ${name}` : 'Nothing to revert');
    } else {
      const applied = await migrateToLatest(database.db);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
    }
  } finally {
    await database.close();
  }
}

run().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`Bad configuration:\n${err.lines.join('\n')}`);
  else console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
