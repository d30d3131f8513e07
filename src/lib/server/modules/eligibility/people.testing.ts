import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { EligibilityRequestStatus } from '../../db/schema.eligibility.js';

/**
 * Test factories of eligibility rows that other modules own (requests, documents, decisions,
 * grants), written directly so the people tests do not depend on those services. Tests only.
 */

export async function insertTestGrant(
  db: Kysely<DB>,
  g: {
    userId: string;
    schemeId: string;
    organisationId: string;
    validFrom: string;
    validUntil: string;
    createdAt?: string;
    revokedAt?: string | null;
    remindedAt?: string | null;
    requestId?: string | null;
  }
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('eligibility_grant')
    .values({
      id,
      user_id: g.userId,
      scheme_id: g.schemeId,
      organisation_id: g.organisationId,
      request_id: g.requestId ?? null,
      decision_id: null,
      valid_from: g.validFrom,
      valid_until: g.validUntil,
      revoked_at: g.revokedAt ?? null,
      revoked_by_user_id: null,
      revoke_reason: null,
      reminded_at: g.remindedAt ?? null,
      is_demo: 0,
      created_at: g.createdAt ?? `${g.validFrom}T09:00:00.000Z`
    })
    .execute();
  return id;
}

export async function insertTestRequest(
  db: Kysely<DB>,
  r: { userId: string; organisationId: string; status?: EligibilityRequestStatus; at: string; schemes?: string[] }
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('eligibility_request')
    .values({
      id,
      user_id: r.userId,
      organisation_id: r.organisationId,
      status: r.status ?? 'submitted',
      renews_grant_id: null,
      schemes: JSON.stringify(r.schemes ?? ['anti-gaspi']),
      household_size: 2,
      adults: 1,
      children: 1,
      is_single_parent: 1,
      profile: 'famille-monoparentale',
      commune_insee: '59999',
      monthly_resources_cents: 95_000,
      monthly_charges_cents: 60_000,
      annual_taxable_income_cents: null,
      monthly_benefits_cents: null,
      message: 'Bonjour',
      missing: null,
      decision_reason: null,
      decided_at: null,
      decided_by_user_id: null,
      is_desk: 0,
      created_by_user_id: r.userId,
      documents_deleted_at: null,
      documents_deleted_count: 0,
      version: 1,
      is_demo: 0,
      submitted_at: r.at,
      created_at: r.at,
      updated_at: r.at
    })
    .execute();
  return id;
}

export async function insertTestDocument(db: Kysely<DB>, requestId: string, at: string): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('eligibility_document')
    .values({
      id,
      request_id: requestId,
      label: "Avis d'imposition",
      media_type: 'application/pdf',
      byte_size: 4,
      key_id: 'test',
      iv: new Uint8Array([1, 2, 3]),
      auth_tag: new Uint8Array([4, 5, 6]),
      ciphertext: new Uint8Array([7, 8, 9, 10]),
      uploaded_by_user_id: null,
      created_at: at
    })
    .execute();
  return id;
}

export async function insertTestDecision(
  db: Kysely<DB>,
  d: { requestId: string; userId: string; organisationId: string; at: string; validUntil?: string }
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('eligibility_decision')
    .values({
      id,
      request_id: d.requestId,
      user_id: d.userId,
      organisation_id: d.organisationId,
      outcome: 'granted',
      schemes: JSON.stringify(['anti-gaspi']),
      valid_until: d.validUntil ?? null,
      reason: 'Dossier complet',
      decided_by_user_id: null,
      decided_at: d.at
    })
    .execute();
  return id;
}

/** Windows-1252 bytes 0x80–0x9F (the rest is Latin-1). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeCp1252(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  return out;
}

/** The text of object `n 0 obj … endobj` in an uncompressed PDF. */
function pdfObject(raw: string, n: string): string {
  const start = raw.indexOf(`\n${n} 0 obj`);
  if (start < 0) throw new Error(`PDF object ${n} not found`);
  return raw.slice(start, raw.indexOf('endobj', start));
}

function utf16Hex(hex: string): string {
  const units: number[] = [];
  for (let i = 0; i + 4 <= hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}

/** Glyph id → text, from a ToUnicode CMap (bfchar, and bfrange with a start value or an array). */
function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of (section[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(m[1] ?? '', 16), utf16Hex(m[2] ?? ''));
  }
  for (const section of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of (section[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(?:\[([^\]]*)\]|<([0-9a-fA-F]+)>)/g)) {
      const from = parseInt(m[1] ?? '', 16);
      const to = parseInt(m[2] ?? '', 16);
      if (m[3] !== undefined) {
        [...m[3].matchAll(/<([0-9a-fA-F]+)>/g)].forEach((v, i) => map.set(from + i, utf16Hex(v[1] ?? '')));
      } else {
        const base = parseInt(m[4] ?? '', 16);
        for (let g = from; g <= to; g++) map.set(g, String.fromCharCode(base + g - from));
      }
    }
  }
  return map;
}

/**
 * Text drawn in an uncompressed pdfkit PDF, one line per TJ operator: fonts with a ToUnicode CMap
 * (embedded fonts: 2-byte glyph ids) are decoded through it, standard fonts as Windows-1252.
 * A glyph id missing from the CMap shows as U+FFFD.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const decoders = new Map<string, (hex: string) => string>();
  for (const dict of raw.matchAll(/\/Font <<([^>]*)>>/g)) {
    for (const ref of (dict[1] ?? '').matchAll(/\/(\w+) (\d+) 0 R/g)) {
      const name = ref[1] ?? '';
      const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(pdfObject(raw, ref[2] ?? ''));
      if (toUnicode) {
        const map = parseToUnicode(pdfObject(raw, toUnicode[1] ?? ''));
        decoders.set(name, (hex) => {
          let out = '';
          for (let i = 0; i + 4 <= hex.length; i += 4) out += map.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\ufffd';
          return out;
        });
      } else {
        decoders.set(name, (hex) => decodeCp1252(Buffer.from(hex, 'hex')));
      }
    }
  }
  const parts: string[] = [];
  let decode: (hex: string) => string = (hex) => decodeCp1252(Buffer.from(hex, 'hex'));
  for (const m of raw.matchAll(/\/(\w+) [\d.]+ Tf|\[([^\]]*)\]\s*TJ/g)) {
    if (m[1] !== undefined) {
      decode = decoders.get(m[1]) ?? decode;
      continue;
    }
    for (const h of (m[2] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)) parts.push(decode(h[1] ?? ''));
    parts.push('\n');
  }
  return parts.join('');
}
