import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Test helper: the OFFICIAL standards' files (data·inclusion v1, HSDS 3.0), read at test time from
 * `../shared/standards` beside the repository (CI's layout), else `/work/shared/standards`.
 * Neither there → throws: a test that cannot see the standards fails, it is never skipped.
 */

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

/** The folder holding `data-inclusion-v1/` and `hsds-3.0/`. */
export function standardsDir(): string {
  const candidates = [path.resolve(repoRoot, '../shared/standards'), '/work/shared/standards'];
  for (const dir of candidates) {
    if (existsSync(path.join(dir, 'data-inclusion-v1', 'structure.json')) && existsSync(path.join(dir, 'hsds-3.0', 'compiled'))) {
      return dir;
    }
  }
  throw new Error(`Official standards not found: looked in ${candidates.join(' and ')}`);
}

/** A JSON file of the standards folder, parsed. */
export function readStandard(relative: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(standardsDir(), relative), 'utf8')) as Record<string, unknown>;
}

const cache = new Map<string, ValidateFunction>();

/** An Ajv (2020 mode, formats on) validator of one official schema file, e.g. `hsds-3.0/compiled/service.json`. */
export function officialValidator(relative: string): ValidateFunction {
  let v = cache.get(relative);
  if (!v) {
    const ajv = new Ajv2020({ strict: false, allErrors: false, logger: false, validateSchema: false, code: { optimize: false } });
    addFormats(ajv);
    v = ajv.compile(readStandard(relative));
    cache.set(relative, v);
  }
  return v;
}

/** Asserts a value is valid against an official schema, with Ajv's errors in the message. */
export function expectValid(relative: string, value: unknown, label = relative): void {
  const v = officialValidator(relative);
  if (!v(value)) {
    throw new Error(`${label} is invalid against ${relative}:\n${JSON.stringify(v.errors?.slice(0, 10), null, 2)}`);
  }
}
