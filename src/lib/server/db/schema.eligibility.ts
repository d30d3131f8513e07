/**
 * Hand-kept table types of the eligibility area (migration 2026-11-29-010-eligibility), kept apart
 * from schema.ts for readability; `DB` in schema.ts extends `EligibilityTables`. Money in integer
 * cents, dates of validity as ISO dates (YYYY-MM-DD), times as ISO 8601 UTC, booleans 0/1, JSON text.
 */

export interface SettingTable {
  key: string;
  value: string;
  updated_by_user_id: string | null;
  updated_at: string;
}

export interface SchemeTable {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  description: string | null;
  accepted_profiles: string;
  communes: string;
  max_reste_a_vivre_cents: number | null;
  max_quotient_familial_cents: number | null;
  default_validity_days: number;
  max_validity_days: number;
  is_renewable: number;
  is_active: number;
  position: number;
  is_demo: number;
  created_at: string;
  updated_at: string;
}

export interface SchemeDeciderTable {
  scheme_id: string;
  organisation_id: string;
}

export interface HouseholdTable {
  user_id: string;
  first_name: string;
  size: number;
  adults: number;
  children: number;
  is_single_parent: number;
  profile: string;
  commune_insee: string | null;
  commune_name: string | null;
  is_demo: number;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
}

export interface AccompanimentTable {
  user_id: string;
  organisation_id: string;
  created_by_user_id: string | null;
  created_at: string;
}

export type EligibilityRequestStatus = 'submitted' | 'incomplete' | 'granted' | 'refused' | 'withdrawn';

export interface EligibilityRequestTable {
  id: string;
  user_id: string;
  organisation_id: string;
  status: EligibilityRequestStatus;
  renews_grant_id: string | null;
  schemes: string;
  household_size: number;
  adults: number;
  children: number;
  is_single_parent: number;
  profile: string;
  commune_insee: string | null;
  monthly_resources_cents: number | null;
  monthly_charges_cents: number | null;
  annual_taxable_income_cents: number | null;
  monthly_benefits_cents: number | null;
  message: string | null;
  missing: string | null;
  decision_reason: string | null;
  decided_at: string | null;
  decided_by_user_id: string | null;
  is_desk: number;
  created_by_user_id: string | null;
  documents_deleted_at: string | null;
  documents_deleted_count: number;
  version: number;
  is_demo: number;
  submitted_at: string;
  created_at: string;
  updated_at: string;
}

export interface EligibilityDocumentTable {
  id: string;
  request_id: string;
  label: string;
  media_type: string;
  byte_size: number;
  key_id: string;
  iv: Uint8Array;
  auth_tag: Uint8Array;
  ciphertext: Uint8Array;
  uploaded_by_user_id: string | null;
  created_at: string;
}

export interface EligibilityDecisionTable {
  id: string;
  request_id: string;
  user_id: string;
  organisation_id: string;
  outcome: 'granted' | 'refused' | 'incomplete';
  schemes: string;
  valid_until: string | null;
  reason: string | null;
  decided_by_user_id: string | null;
  decided_at: string;
}

export interface EligibilityGrantTable {
  id: string;
  user_id: string;
  scheme_id: string;
  organisation_id: string;
  request_id: string | null;
  decision_id: string | null;
  valid_from: string;
  valid_until: string;
  revoked_at: string | null;
  revoked_by_user_id: string | null;
  revoke_reason: string | null;
  reminded_at: string | null;
  is_demo: number;
  created_at: string;
}

export interface PersonCardTable {
  id: string;
  user_id: string;
  organisation_id: string;
  code_hash: string;
  code_ciphertext: string;
  issued_by_user_id: string | null;
  issued_at: string;
  revoked_at: string | null;
  revoked_by_user_id: string | null;
  is_demo: number;
}

export interface EligibilityTables {
  setting: SettingTable;
  scheme: SchemeTable;
  scheme_decider: SchemeDeciderTable;
  household: HouseholdTable;
  accompaniment: AccompanimentTable;
  eligibility_request: EligibilityRequestTable;
  eligibility_document: EligibilityDocumentTable;
  eligibility_decision: EligibilityDecisionTable;
  eligibility_grant: EligibilityGrantTable;
  person_card: PersonCardTable;
}
