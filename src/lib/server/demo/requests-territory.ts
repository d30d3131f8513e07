import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Profile } from '../../schemas/eligibility-vocabulary.js';
import { insertDecision, insertDocument, insertRequest } from '../modules/eligibility/requests.repository.js';
import { seal, type SealingKey } from '../modules/eligibility/sealed.js';
import { DEMO_CREATED_AT, DEMO_TOWN, demoId, type DemoTerritory } from './territory.js';

/**
 * The demo's requests waiting in the CCAS queue: three fictional beneficiaries (demo accounts
 * `beneficiaire1..3`) with their households, so an agent can try the queue, a file, a document and
 * a decision at once. Deterministic ids, `is_demo = 1`; dates count back from the day the demo is
 * loaded, so the queue always looks current. One request carries a tiny generated PDF, sealed with
 * the installation's key at load time (left out without a key).
 */

interface DemoHousehold {
  userId: string;
  firstName: string;
  size: number;
  adults: number;
  children: number;
  isSingleParent: boolean;
  profile: Profile;
}

export interface DemoRequest {
  id: string;
  userId: string;
  organisationId: string;
  status: 'submitted' | 'incomplete';
  schemes: string[];
  resources: {
    monthlyResourcesCents: number | null;
    monthlyChargesCents: number | null;
    annualTaxableIncomeCents: number | null;
    monthlyBenefitsCents: number | null;
  };
  message: string | null;
  missing: string | null;
  /** When it was sent (ISO). */
  at: string;
  document: { id: string; label: string; text: string } | null;
}

export interface DemoRequests {
  households: DemoHousehold[];
  requests: DemoRequest[];
  createdByUserId: string;
}

const daysBefore = (now: Date, days: number, hour: number) => {
  const d = new Date(now.getTime() - days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

/** The demo's households and requests for a territory, dated back from `now` (pure, deterministic for a day). */
export function buildDemoRequests(t: DemoTerritory, now: Date): DemoRequests {
  const ccas = t.organisationIds.ccas;
  const agent = t.userIds['ccas-agent'];
  const people = ['beneficiary-1', 'beneficiary-2', 'beneficiary-3'].map((k) => t.userIds[k]);
  if (!ccas || !agent || people.some((p) => !p)) throw new Error('demo requests need the CCAS, its agent and three beneficiaries');
  const [samira, kevin, fatou] = people as [string, string, string];
  return {
    createdByUserId: agent,
    households: [
      { userId: samira, firstName: 'Samira', size: 3, adults: 1, children: 2, isSingleParent: true, profile: 'famille-monoparentale' },
      { userId: kevin, firstName: 'Kévin', size: 1, adults: 1, children: 0, isSingleParent: false, profile: 'etudiant' },
      { userId: fatou, firstName: 'Fatou', size: 3, adults: 2, children: 1, isSingleParent: false, profile: 'travailleur-precaire' }
    ],
    requests: [
      {
        id: demoId('eligibility-request', 1),
        userId: fatou,
        organisationId: ccas,
        status: 'incomplete',
        schemes: ['anti-gaspi', 'paniers'],
        resources: { monthlyResourcesCents: 142_000, monthlyChargesCents: 96_000, annualTaxableIncomeCents: null, monthlyBenefitsCents: 18_000 },
        message: 'Mon contrat s’arrête à la fin du mois, je cherche un autre emploi.',
        missing: 'Votre dernier avis d’imposition, pour calculer votre quotient familial.',
        at: daysBefore(now, 9, 9),
        document: null
      },
      {
        id: demoId('eligibility-request', 2),
        userId: samira,
        organisationId: ccas,
        status: 'submitted',
        schemes: ['epicerie-sociale', 'paniers'],
        resources: { monthlyResourcesCents: 115_000, monthlyChargesCents: 72_000, annualTaxableIncomeCents: 1_260_000, monthlyBenefitsCents: 31_000 },
        message: 'Je travaille à temps partiel et j’élève seule mes deux enfants.',
        missing: null,
        at: daysBefore(now, 5, 14),
        document: { id: demoId('eligibility-document', 1), label: 'Attestation CAF', text: 'Attestation CAF (document de démonstration, fictif)' }
      },
      {
        id: demoId('eligibility-request', 3),
        userId: kevin,
        organisationId: ccas,
        status: 'submitted',
        schemes: ['anti-gaspi'],
        resources: { monthlyResourcesCents: 61_000, monthlyChargesCents: 43_000, annualTaxableIncomeCents: null, monthlyBenefitsCents: null },
        message: 'Étudiant boursier, je vis seul.',
        missing: null,
        at: daysBefore(now, 2, 10),
        document: null
      }
    ]
  };
}

/** A one-page PDF that says `text` (ASCII only): a real, openable file, a few hundred bytes. */
export function tinyPdf(text: string): Buffer {
  const safe = text
    .normalize('NFD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/[()\\]/g, '');
  const stream = `BT /F1 14 Tf 40 160 Td (${safe}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 298] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * Writes the demo households and requests (through requests.repository) and, with a sealing key,
 * the demo document. Returns how many requests and documents were written.
 */
export async function insertDemoRequests(
  db: Kysely<DB>,
  d: DemoRequests,
  sealingKey?: SealingKey
): Promise<{ requests: number; documents: number }> {
  const byUser = new Map(d.households.map((h) => [h.userId, h]));
  for (const h of d.households) {
    await db
      .insertInto('household')
      .values({
        user_id: h.userId,
        first_name: h.firstName,
        size: h.size,
        adults: h.adults,
        children: h.children,
        is_single_parent: h.isSingleParent ? 1 : 0,
        profile: h.profile,
        commune_insee: DEMO_TOWN.inseeCode,
        commune_name: DEMO_TOWN.name,
        is_demo: 1,
        created_at: DEMO_CREATED_AT,
        updated_at: DEMO_CREATED_AT,
        last_activity_at: DEMO_CREATED_AT
      })
      .execute();
  }
  let documents = 0;
  for (const r of d.requests) {
    const h = byUser.get(r.userId)!;
    await insertRequest(db, {
      id: r.id,
      userId: r.userId,
      organisationId: r.organisationId,
      renewsGrantId: null,
      schemes: r.schemes,
      household: {
        size: h.size,
        adults: h.adults,
        children: h.children,
        isSingleParent: h.isSingleParent,
        profile: h.profile,
        communeInsee: DEMO_TOWN.inseeCode
      },
      resources: r.resources,
      message: r.message,
      isDesk: false,
      createdByUserId: r.userId,
      at: r.at,
      isDemo: true
    });
    if (r.status === 'incomplete') {
      await db
        .updateTable('eligibility_request')
        .set({ status: 'incomplete', missing: r.missing, decided_by_user_id: d.createdByUserId, decided_at: r.at, version: 2 })
        .where('id', '=', r.id)
        .execute();
      await insertDecision(db, {
        id: demoId('eligibility-decision', d.requests.indexOf(r) + 1),
        requestId: r.id,
        userId: r.userId,
        organisationId: r.organisationId,
        outcome: 'incomplete',
        schemes: [],
        validUntil: null,
        reason: r.missing,
        decidedByUserId: d.createdByUserId,
        decidedAt: r.at
      });
    }
    if (r.document && sealingKey) {
      const bytes = tinyPdf(r.document.text);
      await insertDocument(db, {
        id: r.document.id,
        requestId: r.id,
        label: r.document.label,
        mediaType: 'application/pdf',
        byteSize: bytes.byteLength,
        uploadedByUserId: r.userId,
        createdAt: r.at,
        ...seal(sealingKey, bytes)
      });
      documents += 1;
    }
  }
  return { requests: d.requests.length, documents };
}
