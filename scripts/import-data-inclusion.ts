// `npm run import:data-inclusion -- FILE [FILE…] [--partial] [--organisation ID]`
// Imports data·inclusion v1 JSON (structures and/or services; one array per file, or
// { "structures": [...], "services": [...] }) into the directory, upserting by source + id.
// All or nothing by default; --partial writes the valid records. Prints the report (JSON) and a summary.
// Exit code: 0 when the import went through (even "nothing changed"), 1 when nothing was written
// because of rejected records or a bad file, 2 on bad usage or configuration.
import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfig } from '../src/lib/server/config.js';
import { openDatabase, pendingMigrations } from '../src/lib/server/db/database.js';
import { importDataInclusion, splitInput, type ImportReport } from '../src/lib/server/modules/opendata/import.service.js';

const USAGE = 'Usage: npm run import:data-inclusion -- FILE [FILE…] [--partial] [--organisation ID]';

function parseArgs(argv: string[]): { files: string[]; partial: boolean; organisationId?: string } | string {
  const files: string[] = [];
  let partial = false;
  let organisationId: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--partial') partial = true;
    else if (arg === '--organisation' || arg === '--organization') {
      organisationId = argv[++i];
      if (!organisationId) return `--organisation needs an id\n${USAGE}`;
    } else if (arg === '--help' || arg === '-h') return USAGE;
    else if (arg.startsWith('--')) return `Unknown option ${arg}\n${USAGE}`;
    else files.push(arg);
  }
  if (files.length === 0) return USAGE;
  return { files, partial, organisationId };
}

async function run(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(args);
    return 2;
  }
  // Read and split every file first: a bad file stops everything before the database is opened.
  const structures: unknown[] = [];
  const services: unknown[] = [];
  let badFile: { file: string; text: string } | undefined;
  for (const file of args.files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      console.error(`Cannot read ${file}: ${(err as Error).message}`);
      return 2;
    }
    const split = splitInput(text);
    if ('error' in split) {
      badFile = { file, text };
      break;
    }
    structures.push(...split.structures);
    services.push(...split.services);
  }

  const config = loadConfig();
  const database = openDatabase(config);
  try {
    const pending = await pendingMigrations(database.db);
    if (pending.length > 0) {
      console.error(`Migrations pending (${pending.join(', ')}): run npm run migrate first`);
      return 2;
    }
    const options = {
      mode: args.partial ? ('partial' as const) : ('all-or-nothing' as const),
      organisationId: args.organisationId,
      actor: { userId: null, label: 'import data·inclusion (CLI)' }
    };
    const deps = { db: database.db, kind: database.kind, now: () => new Date(), publicUrl: config.PUBLIC_URL };
    const report: ImportReport = badFile
      ? await importDataInclusion(deps, badFile.text, options)
      : await importDataInclusion(deps, { structures, services }, options);
    console.log(JSON.stringify(report, null, 2));
    console.error(badFile ? `${badFile.file}: ${report.summary}` : report.summary);
    return report.rejected.length > 0 && !report.written && (options.mode === 'all-or-nothing' || report.rejected.some((r) => r.kind === 'file'))
      ? 1
      : 0;
  } finally {
    await database.close();
  }
}

run()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    if (err instanceof ConfigError) console.error(`Bad configuration:\n${err.lines.join('\n')}`);
    else console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  });
