import type { PlaceRecord } from '../directory/directory.repository.js';

/**
 * What the open-data mappings read: the directory as plain camelCase objects with real arrays
 * (built by `opendata.repository.ts`), so the pure rules (data·inclusion, HSDS, CSV) need no database.
 */

export interface OdOrganisation {
  id: string;
  name: string;
  kind: string;
  siret: string | null;
  network: string | null;
  email: string | null;
  phone: string | null;
  updatedAt: string;
}

/** A place as the exports read it: the directory's record without its internal bookkeeping. */
export type OdPlace = Omit<PlaceRecord, 'saturation' | 'verifiedAt' | 'isDemo' | 'createdAt'>;

export interface OdService {
  id: string;
  placeId: string;
  organisationId: string;
  name: string;
  description: string;
  type: string | null;
  thematiques: string[];
  categories: string[];
  frais: string | null;
  fraisDetails: string | null;
  publics: string[];
  publicsDetails: string | null;
  access: string;
  conditions: Record<string, unknown>;
  modalities: string[];
  modalitiesDetails: string | null;
  modesAccueil: string[];
  modesMobilisation: string[];
  mobilisablePar: string[];
  mobilisationDetails: string | null;
  mobilisationUrl: string | null;
  zoneEligibilite: string[];
  /** ISO 639-1 codes (or lsf) spoken at the service besides its place's; HSDS only (data·inclusion v1 has no such field). */
  languages: string[];
  openingHours: string | null;
  contactName: string | null;
  phone: string | null;
  email: string | null;
  source: string;
  sourceId: string | null;
  updatedAt: string;
}

/** A temporary closure or temporary hours (Paris dates, inclusive). */
export interface OdNotice {
  id: string;
  placeId: string;
  serviceId: string | null;
  kind: 'closure' | 'hours';
  startsOn: string;
  endsOn: string;
  openingHours: string | null;
  message: string | null;
}

/** One page of rows plus the total, for the paginated exports. */
export interface OdPage<T> {
  items: T[];
  total: number;
}
