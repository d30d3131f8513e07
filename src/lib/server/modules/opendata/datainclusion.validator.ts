import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { DI_SERVICE_SCHEMA, DI_STRUCTURE_SCHEMA } from './datainclusion.schemas.js';
import type { RecordIssue } from './datainclusion.rules.js';

/**
 * Validators of data·inclusion v1 records (Ajv in JSON Schema 2020-12 mode, formats checked:
 * date, uri, email), compiled once per process on first use.
 */

let compiled: { structure: ValidateFunction; service: ValidateFunction } | undefined;

function validators() {
  if (!compiled) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    compiled = { structure: ajv.compile(DI_STRUCTURE_SCHEMA), service: ajv.compile(DI_SERVICE_SCHEMA) };
  }
  return compiled;
}

function issues(errors: ErrorObject[] | null | undefined): RecordIssue[] {
  const seen = new Set<string>();
  const out: RecordIssue[] = [];
  for (const e of errors ?? []) {
    // anyOf branches repeat the same failure: keep the most telling message per path.
    if (e.keyword === 'anyOf') continue;
    const path = e.keyword === 'required' ? `${e.instancePath}/${String((e.params as { missingProperty?: string }).missingProperty)}` : e.instancePath;
    const reason = e.keyword === 'required' ? 'required' : e.keyword === 'type' && e.message === 'must be null' ? '' : (e.message ?? e.keyword);
    if (!reason) continue;
    const key = `${path}|${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: path || '/', reason: e.keyword === 'enum' ? `${reason}: ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues).slice(0, 200)}` : reason });
  }
  return out.length > 0 ? out : [{ path: '/', reason: 'does not match the data·inclusion schema' }];
}

/** Problems of a structure against data·inclusion v1 `structure.json` (empty: valid). */
export function structureSchemaIssues(record: unknown): RecordIssue[] {
  const v = validators().structure;
  return v(record) ? [] : issues(v.errors);
}

/** Problems of a service against data·inclusion v1 `service.json` (empty: valid). */
export function serviceSchemaIssues(record: unknown): RecordIssue[] {
  const v = validators().service;
  return v(record) ? [] : issues(v.errors);
}
