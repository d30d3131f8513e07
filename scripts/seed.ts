/**
 * `npm run seed [-- --reset] [-- --force] [-- --seed=N]`: loads the fictional demo territory into the
 * configured database (DATABASE_URL, else SQLITE_PATH), after applying pending migrations.
 *
 *   (no flag)  load the demo unless it is already there; refuses when the database holds real
 *              (non-demo) organisations or users, so a live directory never fills with fiction.
 *   --reset    delete the demo rows (is_demo = 1) first, then load again. Never deletes a real row:
 *              refuses, deleting nothing, when real data is tied to demo data.
 *   --force    load next to real data anyway.
 *   --seed=N   another territory (other coordinates and SIRETs; same ids and names).
 */
import { ConfigError, loadConfig } from '../src/lib/server/config.js';
import { migrateToLatest, openDatabase } from '../src/lib/server/db/database.js';
import { deleteDemo, hasDemoData, isDatabaseEmpty, loadDemo } from '../src/lib/server/demo/demo.js';
import { loadSealingKey } from '../src/lib/server/modules/eligibility/sealed.js';
import { DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DEMO_SEED } from '../src/lib/server/demo/territory.js';
import { AppError } from '../src/lib/server/errors.js';

const USAGE = 'usage: npm run seed [-- --reset] [-- --force] [-- --seed=N]\n';

function parseArgs(argv: string[]): { reset: boolean; force: boolean; seed: number } | null {
  let reset = false;
  let force = false;
  let seed = DEMO_SEED;
  for (const arg of argv) {
    if (arg === '--reset') reset = true;
    else if (arg === '--force') force = true;
    else if (/^--seed=\d{1,9}$/.test(arg)) seed = Number(arg.slice('--seed='.length));
    else return null;
  }
  return { reset, force, seed };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfig();
  const database = openDatabase(config);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    await migrateToLatest(database.db);
    const where = database.kind === 'sqlite' ? `SQLite ${config.SQLITE_PATH}` : 'PostgreSQL (DATABASE_URL)';
    if (args.reset) {
      const removed = await deleteDemo(database);
      out(
        `demo removed from ${where}: ${removed.organisations} organisations, ${removed.users} users, ` +
          `${removed.memberships} memberships, ${removed.invitations} invitations`
      );
    }
    if (await hasDemoData(database.db)) {
      out(`the demo territory is already in ${where}: nothing to do (use --reset to reload it)`);
      return 0;
    }
    if (!args.force && !(await isDatabaseEmpty(database.db))) {
      process.stderr.write(
        `${where} holds real organisations or users: not mixing the fictional demo with them.\n` +
          'Use --force to load it anyway (npm run seed -- --reset removes it later).\n'
      );
      return 1;
    }
    const loaded = await loadDemo(database, {
      seed: args.seed,
      nodeEnv: config.NODE_ENV,
      onlyIfEmpty: false,
      sealingKey: loadSealingKey(config)
    });
    if (!loaded) {
      out('the demo territory was loaded meanwhile by another process: nothing to do');
      return 0;
    }
    out(
      `demo territory loaded into ${where} (seed ${args.seed}): ${loaded.organisations} organisations, ` +
        `${loaded.users} users, ${loaded.memberships} memberships, ${loaded.invitations} invitation`
    );
    out(`sign in as e.g. ccas@${DEMO_EMAIL_DOMAIN} with the password ${DEMO_PASSWORD} (see the README)`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`bad configuration:\n${err.lines.map((l) => `  ${l}`).join('\n')}\n`);
    } else if (err instanceof AppError) {
      const problems = (err.details as { problems?: string[] } | undefined)?.problems ?? [];
      process.stderr.write(`${err.message}\n${problems.map((p) => `  - ${p}\n`).join('')}`);
    } else {
      process.stderr.write(`seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    process.exit(1);
  }
);
