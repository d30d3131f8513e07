import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openSqlite } from '../../db/database.js';
import type { ImportReport } from './import.service.js';

/** `npm run import:data-inclusion -- FILE`, as a process, on a temporary SQLite file. */

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const sample = fileURLToPath(new URL('./fixtures/data-inclusion-sample.json', import.meta.url));

function cli(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'scripts/import-data-inclusion.ts'), ...args],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'silent', SQLITE_PATH: path.join(dir, 'glane.db'), PUBLIC_URL: 'https://glane.example.org' },
        timeout: 60_000
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    );
  });
}

describe('import:data-inclusion CLI', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'glane-import-'));
    const database = openSqlite(path.join(dir, 'glane.db'));
    await migrateToLatest(database.db);
    await database.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a file, then says nothing changed on the second run', async () => {
    const first = await cli(dir, [sample]);
    expect(first.stderr).toContain('Imported: 4 created');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as ImportReport;
    expect(report).toMatchObject({ written: true, created: { structures: 2, services: 2 }, rejected: [] });

    const second = await cli(dir, [sample]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ written: false, unchanged: { structures: 2, services: 2 } });
    expect(second.stderr).toContain('Nothing changed');
  }, 120_000);

  it('a file that is not JSON → exit 1, a clear report, nothing written', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, 'nom;adresse\nBanque;rue\n');
    const res = await cli(dir, [bad]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/bad\.json: Nothing imported: Not JSON/);
    expect((JSON.parse(res.stdout) as ImportReport).rejected[0]?.kind).toBe('file');
  }, 60_000);

  it('bad usage → exit 2 with the usage line', async () => {
    const res = await cli(dir, ['--wat']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('Usage: npm run import:data-inclusion');
  }, 60_000);
});
