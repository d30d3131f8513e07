import type { Generated } from 'kysely';
import type { EligibilityTables } from './schema.eligibility.js';
import type { MarketplaceTables } from './schema.marketplace.js';

/**
 * Hand-kept table types, one interface per table, columns in snake_case as stored
 * (repositories map them to camelCase). Times are ISO 8601 UTC strings; booleans are 0/1.
 * Keep in step with migrations/.
 */

export interface UserTable {
  id: string;
  email: string | null;
  phone: string | null;
  password_hash: string | null;
  display_name: string;
  locale: string;
  email_verified_at: string | null;
  phone_verified_at: string | null;
  is_platform_admin: number;
  failed_sign_in_count: number;
  locked_until: string | null;
  is_demo: number;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  rotated_at: string;
  expires_at: string;
  user_agent: string | null;
}

export interface OneTimeCodeTable {
  id: string;
  purpose: 'sign_in' | 'verify_email' | 'reset_password';
  channel: 'email' | 'sms';
  destination: string;
  user_id: string | null;
  code_hash: string;
  attempts: number;
  expires_at: string;
  consumed_at: string | null;
  created_at: string;
}

export interface OrganisationTable {
  id: string;
  slug: string;
  name: string;
  kind: 'ccas' | 'association' | 'donor' | 'platform';
  donor_kind: 'commerce' | 'restaurant' | 'ehpad' | 'cantine' | 'producteur' | 'autre' | null;
  network: string | null;
  siret: string | null;
  email: string | null;
  phone: string | null;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  insee_code: string | null;
  lat: number | null;
  lng: number | null;
  is_demo: number;
  created_at: string;
  updated_at: string;
}

export interface MembershipTable {
  id: string;
  organisation_id: string;
  user_id: string;
  role: 'owner' | 'manager' | 'member';
  created_at: string;
}

export interface InvitationTable {
  id: string;
  organisation_id: string;
  email: string | null;
  role: 'owner' | 'manager' | 'member';
  token_hash: string;
  invited_by_user_id: string | null;
  expires_at: string;
  accepted_at: string | null;
  accepted_by_user_id: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_user_id: string | null;
  organisation_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  request_id: string | null;
  details: string | null;
}

export interface NotificationTable {
  id: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  body: string;
  status: 'captured' | 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface GeoPointTable {
  id: Generated<number>;
  entity_type: string;
  entity_id: string;
  lat: number;
  lng: number;
}

export interface SearchDocumentTable {
  entity_type: string;
  entity_id: string;
  body: string;
}

/** A place (lieu) of an organisation in the public directory. List fields are JSON text. */
export interface PlaceTable {
  id: string;
  organisation_id: string;
  slug: string;
  name: string;
  description: string | null;
  address_line: string | null;
  address_complement: string | null;
  postal_code: string | null;
  city: string | null;
  insee_code: string | null;
  lat: number | null;
  lng: number | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  accessibility_url: string | null;
  is_accessible: number | null;
  languages: string;
  opening_hours: string | null;
  saturation: 'low' | 'medium' | 'high' | null;
  is_mobile: number;
  /** Optimistic concurrency of the stop list: +1 on each replacement. */
  stops_version: Generated<number>;
  source: string;
  source_id: string | null;
  verified_at: string | null;
  is_demo: number;
  created_at: string;
  updated_at: string;
}

/** A service offered at a place (data·inclusion v1 service + food details). List fields are JSON text. */
export interface ServiceTable {
  id: string;
  place_id: string;
  organisation_id: string;
  name: string;
  description: string;
  type: string | null;
  thematiques: string;
  categories: string;
  frais: 'gratuit' | 'payant' | null;
  frais_details: string | null;
  publics: string;
  publics_details: string | null;
  access: 'unconditional' | 'preferential' | 'exclusive';
  conditions: string;
  modalities: string;
  modalities_details: string | null;
  modes_accueil: string;
  modes_mobilisation: string;
  mobilisable_par: string;
  mobilisation_details: string | null;
  mobilisation_url: string | null;
  zone_eligibilite: string;
  food: string;
  /** JSON array of ISO 639-1 codes (or lsf) spoken at this service. */
  languages: string;
  opening_hours: string | null;
  contact_name: string | null;
  phone: string | null;
  email: string | null;
  source: string;
  source_id: string | null;
  is_demo: number;
  created_at: string;
  updated_at: string;
}

/** One value of one list of a service, for indexed filtering (kind: category, public, modality…). */
export interface ServiceTagTable {
  service_id: string;
  place_id: string;
  kind: string;
  value: string;
}

export interface PlaceNoticeTable {
  id: string;
  place_id: string;
  service_id: string | null;
  kind: 'closure' | 'hours';
  starts_on: string;
  ends_on: string;
  opening_hours: string | null;
  message: string | null;
  created_at: string;
}

export interface PlaceStopTable {
  id: string;
  place_id: string;
  position: number;
  name: string;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  lat: number | null;
  lng: number | null;
  opening_hours: string | null;
  /** Optional validity (YYYY-MM-DD, Paris, inclusive): a summer tour. */
  valid_from: string | null;
  valid_to: string | null;
}

export interface PlacePhotoTable {
  id: string;
  place_id: string;
  position: number;
  alt: string;
  content_type: string;
  width: number;
  height: number;
  /** The large image (long side ≤ 1600 px), WebP, without metadata. */
  data: Uint8Array;
  created_at: string;
  /** The thumbnail (long side ≤ 480 px), same format. */
  thumb_data: Uint8Array;
  thumb_width: number;
  thumb_height: number;
  uploaded_by_user_id: string | null;
}

export interface DirectoryRevisionTable {
  id: string;
  place_id: string;
  service_id: string | null;
  actor_user_id: string | null;
  actor_label: string | null;
  at: string;
  action: 'create' | 'update' | 'delete' | 'verify' | 'import';
  section: string | null;
  before: string | null;
  after: string | null;
}

export interface FreshnessLinkTable {
  id: string;
  organisation_id: string;
  campaign: string;
  token_hash: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/**
 * One write that can change a directory search answer, naming its place (appended by triggers;
 * read by the in-memory directory index to refresh just those places). Pruned after a day.
 */
export interface DirectoryChangeTable {
  /** Increasing (INTEGER AUTOINCREMENT / BIGSERIAL: the pg driver returns it as a string). */
  seq: Generated<number | string>;
  place_id: string;
  changed_at: Generated<string>;
}

export interface DB extends EligibilityTables, MarketplaceTables {
  user: UserTable;
  session: SessionTable;
  one_time_code: OneTimeCodeTable;
  organisation: OrganisationTable;
  membership: MembershipTable;
  invitation: InvitationTable;
  audit_log: AuditLogTable;
  notification: NotificationTable;
  geo_point: GeoPointTable;
  search_document: SearchDocumentTable;
  place: PlaceTable;
  service: ServiceTable;
  service_tag: ServiceTagTable;
  place_notice: PlaceNoticeTable;
  place_stop: PlaceStopTable;
  place_photo: PlacePhotoTable;
  directory_revision: DirectoryRevisionTable;
  freshness_link: FreshnessLinkTable;
  directory_change: DirectoryChangeTable;
}
