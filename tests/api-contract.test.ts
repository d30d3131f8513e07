import { randomUUID } from 'node:crypto';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/lib/server/app.js';
import { loadDemoIfEmpty } from '../src/lib/server/demo/demo.js';
import { createSessionsService } from '../src/lib/server/modules/accounts/sessions.service.js';
import { insertTestMembership, insertTestOrganisation } from '../src/lib/server/modules/organisations/organisations.testing.js';
import { DIALECTS } from './helpers/db.js';
import { createTestServices, type TestServices } from './helpers/services.js';
import { createTestUser } from './helpers/session.js';

/**
 * The OpenAPI document as an outside checker reads it: every operation it lists is called, anonymous
 * and as a platform admin, with bad path ids, bad query values and bad bodies, and each answer must be
 * one the operation documents, never a 500, and a 4xx in the error model; a 400 names its field.
 * This is what a schema-driven checker (Schemathesis and the like) does to the API; here it runs in
 * process, on both databases (an out-of-range number reaching PostgreSQL is an error SQLite lets by).
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
type Parameter = { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

interface Call {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: BodyInit;
}

interface Violation {
  call: string;
  status: number;
  problem: string;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Operations that end the caller's own session or account: called last, so the others keep it. */
const ENDS_SESSION = /^(post \/auth\/sign-out|delete \/account|post \/account\/delete|post \/account\/sessions\/revoke-all)$/;

/** Values no field accepts as they are: wrong types, out of range, odd text. */
const BAD_QUERY_VALUES = ['', 'x', '-1', '1e309', '99999999999999999999', 'NaN', '🙂', "' OR 1=1 --", 'a'.repeat(5000)];

function resolve(doc: Doc, s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  return resolve(doc, doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]);
}

/** A value of the wrong type for a field of this schema. */
function wrongType(s: Schema | undefined): unknown {
  const type = Array.isArray(s?.type) ? s?.type[0] : s?.type;
  switch (type) {
    case 'string':
      return 12345;
    case 'number':
    case 'integer':
      return 'douze';
    case 'boolean':
      return 'oui';
    case 'array':
      return { not: 'a list' };
    case 'object':
      return 7;
    default:
      return [[{}]];
  }
}

/** A plausible value for a field (the first enum member, a well-formed id or date, a small number). */
function plausible(doc: Doc, raw: Schema | undefined, depth = 0): unknown {
  const s = resolve(doc, raw);
  if (!s || depth > 4) return null;
  if (s.enum?.length) return s.enum[0];
  const alt = s.anyOf ?? s.oneOf ?? s.allOf;
  if (alt?.length) return plausible(doc, alt.find((a) => resolve(doc, a)?.type !== 'null') ?? alt[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'date-time') return '2026-12-01T10:00:00.000Z';
      if (s.format === 'date') return '2026-12-01';
      if (s.format === 'email') return 'quelquun@example.org';
      return 'texte';
    case 'integer':
    case 'number':
      return s.minimum !== undefined ? Math.max(s.minimum, 1) : 1;
    case 'boolean':
      return true;
    case 'array':
      return [plausible(doc, s.items, depth + 1)];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = plausible(doc, v, depth + 1);
      return out;
    }
    default:
      return null;
  }
}

/** The bodies sent to an operation that takes one: broken JSON, wrong shapes, each field wrong in turn. */
function badBodies(doc: Doc, op: Operation): { label: string; contentType: string; body: string }[] {
  const content = op.requestBody?.content ?? {};
  const json = content['application/json'];
  if (!json) return [{ label: 'empty body', contentType: 'application/json', body: '{}' }];
  const schema = resolve(doc, json.schema);
  const bodies = [
    { label: 'broken JSON', contentType: 'application/json', body: '{"a":' },
    { label: 'JSON null', contentType: 'application/json', body: 'null' },
    { label: 'JSON list', contentType: 'application/json', body: '[]' },
    { label: 'JSON string', contentType: 'application/json', body: '"texte"' },
    { label: 'empty object', contentType: 'application/json', body: '{}' }
  ];
  const base = plausible(doc, schema);
  if (base && typeof base === 'object' && !Array.isArray(base)) {
    bodies.push({ label: 'plausible body', contentType: 'application/json', body: JSON.stringify(base) });
    for (const [key, field] of Object.entries(schema?.properties ?? {})) {
      const wrong = { ...base, [key]: wrongType(resolve(doc, field)) };
      bodies.push({ label: `wrong type for ${key}`, contentType: 'application/json', body: JSON.stringify(wrong) });
    }
  }
  return bodies;
}

function fillPath(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, encodeURIComponent(value));
}

/** Which table holds the ids of a path parameter, by the segment before it (or its own name). */
const ID_SOURCES: [RegExp, string][] = [
  [/\/members\/\{userId\}$/, 'membership.user_id'],
  [/\{invitationId\}/, 'invitation.id'],
  [/\{documentId\}/, 'eligibility_document.id'],
  [/\{placeId\}/, 'place.id'],
  [/\{cardId\}/, 'person_card.id'],
  [/\{userId\}/, 'eligibility_grant.user_id'],
  [/\/offer-photos\/\{photoId\}/, 'offer_photo.id'],
  [/\/photos\/\{photoId\}/, 'place_photo.id'],
  [/\/organi[sz]ations\/\{(id|orgId)\}/, 'organisation.id'],
  [/\/places\/\{(id|idOrSlug)\}/, 'place.id'],
  [/\/services\/\{id\}/, 'service.id'],
  [/\/notices\/\{id\}/, 'place_notice.id'],
  [/\/offer-series\/\{id\}/, 'offer_series.id'],
  [/\/offers\/\{id\}/, 'offer.id'],
  [/\/reservations\/\{id\}/, 'reservation.id'],
  [/\/eligibility\/requests\/\{id\}/, 'eligibility_request.id'],
  [/\/eligibility\/schemes\/\{id\}/, 'scheme.id'],
  [/\/inbox\/\{id\}/, 'inbox_item.id'],
  [/\{file\}/, '=large.webp']
];

/**
 * The reads anyone gets a 2xx from, signed in or not, with the ids of the demo town's rows: the public
 * directory and open data, the territory's schemes, the API's own documents. Anything else answering an
 * anonymous visitor or a stranger is a leak; a new public read is added here knowingly.
 */
const PUBLIC_READS = [
  // The process and the API's own documents.
  '/health',
  '/ready',
  '/v1/push/public-key',
  // The public directory, its open data and the territory's schemes (the public simulator reads them).
  '/hsds',
  '/hsds/organizations',
  '/hsds/service_at_locations',
  '/hsds/services',
  '/v1/directory/search',
  '/v1/places/{idOrSlug}',
  '/v1/organisations/{id}',
  '/v1/exports/data-inclusion/services',
  '/v1/exports/data-inclusion/services.csv',
  '/v1/exports/data-inclusion/structures',
  '/v1/exports/data-inclusion/structures.csv',
  '/v1/eligibility/communes',
  '/v1/eligibility/request-options',
  '/v1/eligibility/schemes',
  '/v1/eligibility/schemes/{id}',
  // A live offer's photos (food, with their alt texts), as on its public page.
  '/v1/offers/{id}/photos',
];

/** What a signed-in stranger (no organisation, no access, no file) reads besides: their own account. */
const STRANGER_MAY_READ = [
  ...PUBLIC_READS,
  '/v1/account',
  '/v1/auth/session',
  '/v1/me/eligibility',
  '/v1/me/export',
  '/v1/me/feed-preferences',
  // Their "new offers near me" alert settings (defaults when none saved), as on /compte/notifications.
  '/v1/me/alert-settings',
  '/v1/me/file-reads',
  '/v1/me/inbox',
  '/v1/me/reservations',
  '/v1/organisations/mine'
];

describe.each(DIALECTS)('the OpenAPI contract, as an outside checker calls it, on %s', (kind) => {
  let t: TestServices;
  let app: ReturnType<typeof buildApp>;
  let doc: Doc;

  beforeAll(async () => {
    t = await createTestServices(kind, { PUBLIC_URL: 'http://glane.test' });
    // The fictional town: real organisations, places, offers, reservations, people and requests to call on.
    expect(await loadDemoIfEmpty(t.services)).toBe(true);
    app = buildApp(t.services);
    doc = (await (await app.request('/api/v1/openapi.json')).json()) as Doc;
  });
  afterAll(async () => t?.destroy());

  /** Validators of the documented JSON answers, the document's components resolved by Ajv. */
  const validators = new Map<string, ValidateFunction>();
  function answerValidator(key: string, schema: Schema): ValidateFunction {
    let v = validators.get(key);
    if (!v) {
      if (validators.size === 0) {
        ajv = new Ajv2020({ strict: false, allErrors: false, logger: false });
        addFormats(ajv);
        ajv.addSchema({ $id: 'glane-openapi', components: doc.components } as object);
      }
      v = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"glane-openapi#/components/')) as object);
      validators.set(key, v);
    }
    return v;
  }
  let ajv: Ajv2020;

  async function adminHeaders(): Promise<Record<string, string>> {
    const admin = await createTestUser(t.services, { isPlatformAdmin: true });
    const { token, session } = await createSessionsService({ db: t.services.db, config: t.config, now: t.clock.now }).createSession(admin.userId);
    return { Cookie: `glane_session=${token}`, 'X-CSRF-Token': session.csrfToken };
  }

  /** The path with every parameter replaced by the id of a row of the demo town (else a random one). */
  async function realPath(path: string, organisationId?: string): Promise<string> {
    let out = path;
    for (const [pattern, source] of ID_SOURCES) {
      const match = pattern.exec(out);
      if (!match) continue;
      const param = /\{[^}]+\}/.exec(match[0])![0];
      let value = source.startsWith('=') ? source.slice(1) : source === 'organisation.id' ? organisationId : undefined;
      if (value === undefined) {
        const [table, column] = source.split('.') as [string, string];
        const row = await sql<{ v: string }>`SELECT ${sql.ref(column)} AS v FROM ${sql.table(table)} ORDER BY ${sql.ref(column)} LIMIT 1`.execute(t.services.db);
        value = String(row.rows[0]?.v ?? randomUUID());
      }
      out = out.replace(param, encodeURIComponent(value));
    }
    return fillPath(out, randomUUID());
  }

  function callsOf(path: string, real: string, method: string, op: Operation, auth: Record<string, string>): Call[] {
    const calls: Call[] = [];
    const M = method.toUpperCase();
    const hasBody = M !== 'GET' && M !== 'DELETE';
    const plainBody: Record<string, string> = hasBody ? { 'Content-Type': 'application/json' } : {};
    const emptyBody = hasBody ? '{}' : undefined;
    const ids = path.includes('{') ? [randomUUID(), 'pas-un-id', '0', "x'; DROP TABLE user; --", 'a'.repeat(400)] : [''];
    for (const id of ids) {
      const p = fillPath(path, id);
      calls.push({ label: `anonymous, id ${id.slice(0, 20)}`, method: M, path: p, headers: { ...plainBody }, body: emptyBody });
      calls.push({ label: `admin, id ${id.slice(0, 20)}`, method: M, path: p, headers: { ...auth, ...plainBody }, body: emptyBody });
    }
    calls.push({ label: 'anonymous, real ids', method: M, path: real, headers: { ...plainBody }, body: emptyBody });
    calls.push({ label: 'admin, real ids', method: M, path: real, headers: { ...auth, ...plainBody }, body: emptyBody });
    const p = real;
    for (const q of (op.parameters ?? []).filter((x) => x.in === 'query')) {
      for (const v of BAD_QUERY_VALUES) {
        calls.push({ label: `admin, ${q.name}=${v.slice(0, 20)}`, method: M, path: `${p}?${q.name}=${encodeURIComponent(v)}`, headers: { ...auth, ...plainBody }, body: emptyBody });
      }
    }
    if (hasBody) {
      for (const b of badBodies(doc, op)) {
        calls.push({ label: `admin, ${b.label}`, method: M, path: p, headers: { ...auth, 'Content-Type': b.contentType }, body: b.body });
      }
    }
    return calls;
  }

  it('lets an anonymous visitor read only what is public', async () => {
    const readable: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!item.get) continue;
      if ((await app.request(`/api${await realPath(path)}`)).status < 300) readable.push(path);
    }
    expect(readable.sort()).toEqual([...PUBLIC_READS].sort());
  });

  it('lets a signed-in stranger read only what is public or their own', async () => {
    // Someone with an account and nothing else: no organisation, no access granted, no file.
    const stranger = await createTestUser(t.services);
    const { token } = await createSessionsService({ db: t.services.db, config: t.config, now: t.clock.now }).createSession(stranger.userId);
    const readable: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!item.get) continue;
      const res = await app.request(`/api${await realPath(path)}`, { headers: { Cookie: `glane_session=${token}` } });
      if (res.status < 300) readable.push(path);
    }
    expect(readable.sort()).toEqual([...STRANGER_MAY_READ].sort());
  });

  it.each(['association', 'donor', 'ccas'] as const)(
    'lets a member of another %s read of the demo town’s organisations and people only what a stranger reads, and what its kind is for',
    async (ownKind) => {
      const outsider = await createTestUser(t.services);
      const own = await insertTestOrganisation(t.services.db, ownKind, `Autre structure (${ownKind})`);
      await insertTestMembership(t.services.db, own, outsider.userId, 'owner');
      const { token } = await createSessionsService({ db: t.services.db, config: t.config, now: t.clock.now }).createSession(outsider.userId);
      const targets = await sql<{ id: string; kind: string }>`SELECT min(id) AS id, kind FROM organisation WHERE id <> ${own} GROUP BY kind`.execute(t.services.db);
      expect(targets.rows.map((r) => r.kind).sort()).toEqual(['association', 'ccas', 'donor']);
      const readable = new Set<string>();
      for (const [path, item] of Object.entries(doc.paths)) {
        if (!item.get) continue;
        for (const target of path.includes('/organisations/{') ? targets.rows : [targets.rows[0]!]) {
          const res = await app.request(`/api${await realPath(path, target.id)}`, { headers: { Cookie: `glane_session=${token}` } });
          if (res.status < 300) readable.add(path);
        }
      }
      const partner = ownKind === 'association' || ownKind === 'ccas';
      const expected = [
        ...STRANGER_MAY_READ,
        // Partners see the offers, every audience (offers.policy maySeeOffer), and whether a person is
        // eligible, for what, until when and by whom, never their file (eligibility.policy).
        ...(partner ? ['/v1/offers/{id}', '/v1/people/{userId}/eligibility'] : []),
        // The CCAS runs the territory: update campaigns, schemes and their settings.
        ...(ownKind === 'ccas' ? ['/v1/directory/campaigns', '/v1/eligibility/decider-candidates', '/v1/eligibility/settings'] : [])
      ];
      expect([...readable].sort()).toEqual(expected.sort());
    }
  );

  it('refuses every write of a signed-in browser without its CSRF token, or from another site, before doing anything', async () => {
    const writer = await createTestUser(t.services);
    const { token, session } = await createSessionsService({ db: t.services.db, config: t.config, now: t.clock.now }).createSession(writer.userId);
    const cookie = `glane_session=${token}`;
    const unguarded: string[] = [];
    let writes = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item).filter((m) => METHODS.has(m) && m !== 'get')) {
        writes += 1;
        const url = `/api${await realPath(path)}`;
        // Each operation's own content type (the uploads take multipart), so only the CSRF rule can refuse.
        const contentType = Object.keys(item[method]!.requestBody?.content ?? {})[0] ?? 'application/json';
        const multipart = contentType.startsWith('multipart/');
        const headers: Record<string, string> = multipart ? { Cookie: cookie } : { Cookie: cookie, 'Content-Type': contentType };
        const attempts = [
          { why: 'no token', headers },
          { why: 'wrong token', headers: { ...headers, 'X-CSRF-Token': 'x'.repeat(session.csrfToken.length) } },
          { why: 'another site', headers: { ...headers, 'X-CSRF-Token': session.csrfToken, Origin: 'https://evil.example' } }
        ];
        for (const a of attempts) {
          const res = await app.request(url, { method: method.toUpperCase(), headers: a.headers, body: multipart ? new FormData() : '{}' });
          const code = res.status === 403 ? ((await res.json()) as { error: { code: string } }).error.code : String(res.status);
          if (code !== 'csrf_failed') unguarded.push(`${method.toUpperCase()} ${path} (${a.why}): ${code}`);
        }
      }
    }
    expect(writes).toBeGreaterThan(60);
    expect(unguarded).toEqual([]);
  });

  it('answers every call with a documented status, never a 500, and 4xx in the error model naming the field', async () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.has(method))
        .map(([method, op]) => ({ path, method, op }))
    );
    expect(operations.length).toBeGreaterThan(50);
    // The ones that end the caller's session run last.
    operations.sort((a, b) => Number(ENDS_SESSION.test(`${a.method} ${a.path}`)) - Number(ENDS_SESSION.test(`${b.method} ${b.path}`)));

    const violations: Violation[] = [];
    let calls = 0;
    for (const { path, method, op } of operations) {
      const auth = await adminHeaders();
      for (const call of callsOf(path, await realPath(path), method, op, auth)) {
        t.services.limiter.clear();
        calls += 1;
        const res = await app.request(`/api${call.path}`, { method: call.method, headers: call.headers, body: call.body });
        const name = `${call.method} ${path} (${call.label})`;
        const text = await res.text();
        if (res.status >= 500) {
          violations.push({ call: name, status: res.status, problem: `server error: ${text.slice(0, 200)}` });
          continue;
        }
        if (!(String(res.status) in op.responses)) {
          violations.push({ call: name, status: res.status, problem: `status not documented (documents ${Object.keys(op.responses).join(', ')})` });
        }
        const documented = op.responses[String(res.status)]?.content?.['application/json']?.schema;
        if (res.status < 300 && documented && (res.headers.get('content-type') ?? '').includes('application/json')) {
          const validate = answerValidator(`${method} ${path} ${res.status}`, documented);
          if (!validate(JSON.parse(text))) {
            violations.push({ call: name, status: res.status, problem: `answer not as documented: ${ajv.errorsText(validate.errors).slice(0, 200)}` });
          }
        }
        if (res.status >= 400) {
          let body: { error?: { code?: unknown; message?: unknown; details?: { fields?: { path?: unknown }[] } } } | undefined;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string') {
            violations.push({ call: name, status: res.status, problem: `not the error model: ${text.slice(0, 120)}` });
          } else if (body.error.code === 'validation_failed' && !body.error.details?.fields?.some((f) => typeof f.path === 'string' && f.path.length > 0)) {
            violations.push({ call: name, status: res.status, problem: `400 names no field: ${text.slice(0, 160)}` });
          }
          if (/\bat .+\.(ts|js):\d+/.test(text)) violations.push({ call: name, status: res.status, problem: 'stack trace in the answer' });
        }
      }
    }
    expect(calls).toBeGreaterThan(1000);
    expect(violations, JSON.stringify(violations.slice(0, 40), null, 1)).toEqual([]);
  }, 300_000);

  it('writes no nullable component as allOf (which would refuse the null it allows)', () => {
    // zod's `.nullable()` on a named schema comes out as allOf [$ref, {type: [object, null]}]: use z.union([X, z.null()]).
    const text = JSON.stringify(doc);
    expect(text.match(/\{"allOf":\[\{"\$ref":"[^"]+"\},\{"type":\[[^\]]*"null"\]/g) ?? []).toEqual([]);
  });
});
