import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import {
  indexPlace,
  insertNotice,
  insertPlace,
  insertService,
  syncServiceTags,
  type NewPlace,
  type NewService
} from './directory.repository.js';

/**
 * Test fixtures for the directory search: a small directory around Lille and Roubaix, written through
 * the directory repository (tags and index kept as in production). Test-only: never imported by the app.
 */

const CREATED = '2026-11-20T09:00:00.000Z';

export const LILLE = { lat: 50.6292, lng: 3.0573 };

export async function insertOrganisation(db: Kysely<DB>, name: string): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('organisation')
    .values({
      id,
      slug: `org-${id.slice(0, 8)}`,
      name,
      kind: 'association',
      donor_kind: null,
      network: null,
      siret: null,
      email: null,
      phone: null,
      address_line: null,
      postal_code: null,
      city: null,
      insee_code: null,
      lat: null,
      lng: null,
      is_demo: 0,
      created_at: CREATED,
      updated_at: CREATED
    })
    .execute();
  return id;
}

type PlaceInput = Omit<NewPlace, 'organisationId' | 'slug' | 'createdAt'> & { slug?: string };
type ServiceInput = Omit<NewService, 'placeId' | 'organisationId' | 'createdAt' | 'description'> & { description?: string };

/** Inserts a place with its services, tags and index entries; returns the ids. */
export async function addPlace(
  db: Kysely<DB>,
  kind: DatabaseKind,
  organisationId: string,
  place: PlaceInput,
  services: ServiceInput[]
): Promise<{ placeId: string; serviceIds: string[] }> {
  const p = await insertPlace(db, {
    slug: place.slug ?? `lieu-${randomUUID().slice(0, 8)}`,
    organisationId,
    createdAt: CREATED,
    verifiedAt: CREATED,
    ...place
  });
  const serviceIds: string[] = [];
  for (const s of services) {
    const svc = await insertService(db, { placeId: p.id, organisationId, createdAt: CREATED, description: s.name, ...s });
    await syncServiceTags(db, svc.id);
    serviceIds.push(svc.id);
  }
  await indexPlace(db, kind, p.id);
  return { placeId: p.id, serviceIds };
}

export interface SearchFixture {
  /** Names → place ids. */
  ids: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', string>;
  /** The "atelier cuisine" service of B (own hours). */
  workshopId: string;
}

/**
 * Six places. Distances from LILLE: A 0.1 km, B ≈ 1.8 km, C ≈ 5 km, E then D ≈ 11 km (Roubaix, INSEE
 * 59512), F ≈ 42 km (Arras). Tuesday 1 Dec 2026 11:00 Paris: A, B (through its workshop), C, D open;
 * E closed by a notice; F has no hours.
 */
export async function seedSearchDirectory(db: Kysely<DB>, kind: DatabaseKind): Promise<SearchFixture> {
  const restos = await insertOrganisation(db, 'Association Les Restos du Cœur du Nord');
  const ccas = await insertOrganisation(db, 'CCAS de Lille');
  const secours = await insertOrganisation(db, 'Secours populaire français');
  const croix = await insertOrganisation(db, 'Croix-Rouge française');
  const banque = await insertOrganisation(db, 'Banque alimentaire du Pas-de-Calais');

  const A = await addPlace(
    db,
    kind,
    restos,
    {
      name: 'Restos du Cœur – Lille Centre',
      slug: 'restos-du-coeur-lille-centre',
      addressLine: '12 rue Nationale',
      postalCode: '59000',
      city: 'Lille',
      inseeCode: '59350',
      lat: 50.63,
      lng: 3.058,
      isAccessible: true,
      languages: ['fr', 'ar'],
      openingHours: 'Mo-Fr 09:00-12:00',
      saturation: 'medium'
    },
    [
      {
        name: 'Distribution de colis',
        description: 'Colis pour toute personne dans le besoin',
        categories: ['distribution-alimentaire', 'colis-alimentaire'],
        publics: ['tous-publics'],
        access: 'unconditional',
        modalities: ['sans-condition', 'sur-inscription'],
        frais: 'gratuit'
      }
    ]
  );
  const B = await addPlace(
    db,
    kind,
    ccas,
    {
      name: 'Épicerie sociale du Faubourg',
      city: 'Lille',
      inseeCode: '59350',
      lat: 50.645,
      lng: 3.0573,
      isAccessible: false,
      languages: ['fr'],
      openingHours: 'Mo-Fr 14:00-18:00'
    },
    [
      {
        name: 'Épicerie sociale',
        description: 'Produits à petit prix sur orientation',
        categories: ['epicerie-sociale'],
        publics: ['familles'],
        access: 'exclusive',
        modalities: ['sur-orientation', 'participation-financiere'],
        frais: 'payant'
      },
      {
        name: 'Atelier cuisine',
        description: 'Cuisiner ensemble',
        categories: ['atelier-cuisine'],
        publics: ['familles'],
        access: 'exclusive',
        modalities: ['sans-condition'],
        openingHours: 'Tu 10:00-12:00'
      }
    ]
  );
  const C = await addPlace(
    db,
    kind,
    ccas,
    {
      name: 'Frigo solidaire Wazemmes',
      city: 'Lille',
      inseeCode: '59350',
      lat: 50.6742,
      lng: 3.0573,
      languages: ['fr', 'en'],
      openingHours: '24/7'
    },
    [
      {
        name: 'Frigo en libre service',
        description: 'Dépôt et retrait libres',
        categories: ['frigo-solidaire'],
        publics: ['etudiants'],
        access: 'preferential',
        modalities: ['sans-condition']
      }
    ]
  );
  const D = await addPlace(
    db,
    kind,
    secours,
    {
      name: 'Secours populaire Roubaix',
      city: 'Roubaix',
      inseeCode: '59512',
      lat: 50.6942,
      lng: 3.1746,
      languages: ['fr'],
      openingHours: 'Tu 10:00-12:00'
    },
    [
      {
        name: 'Colis bébé',
        description: 'Lait et couches',
        categories: ['colis-bebe'],
        publics: ['familles'],
        access: 'unconditional',
        modalities: ['sur-rendez-vous']
      }
    ]
  );
  const E = await addPlace(
    db,
    kind,
    croix,
    {
      name: 'Croix-Rouge Roubaix',
      city: 'Roubaix',
      inseeCode: '59512',
      lat: 50.69,
      lng: 3.18,
      languages: ['fr'],
      openingHours: 'Mo-Su 09:00-20:00'
    },
    [
      {
        name: 'Repas chaud',
        description: 'Repas servi sur place',
        categories: ['repas-solidaire'],
        publics: ['seniors'],
        access: 'exclusive',
        modalities: ['sans-condition']
      }
    ]
  );
  await insertNotice(db, {
    placeId: E.placeId,
    serviceId: null,
    kind: 'closure',
    startsOn: '2026-11-30',
    endsOn: '2026-12-05',
    openingHours: null,
    message: 'Fermé pour inventaire',
    createdAt: CREATED
  });
  const F = await addPlace(
    db,
    kind,
    banque,
    { name: 'Banque alimentaire Arras', city: 'Arras', inseeCode: '62041', lat: 50.291, lng: 2.7775, languages: ['fr'] },
    [{ name: 'Distribution', description: 'Aux associations', categories: ['distribution-alimentaire'] }]
  );
  return {
    ids: { A: A.placeId, B: B.placeId, C: C.placeId, D: D.placeId, E: E.placeId, F: F.placeId },
    workshopId: B.serviceIds[1] as string
  };
}
