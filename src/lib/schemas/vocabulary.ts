/**
 * The closed lists and limits of the shared schemas, without zod: pages import them from here so the
 * browser bundle does not carry zod (about 24 kB gzipped) just to know a list of roles.
 */

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
export const EMAIL_MAX = 254;

/** ccas: town social-action centre; association: food-aid association; donor; platform: the operator. */
export const ORGANISATION_KINDS = ['ccas', 'association', 'donor', 'platform'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** What kind of donor (required when kind is `donor`, forbidden otherwise). */
export const DONOR_KINDS = ['commerce', 'restaurant', 'ehpad', 'cantine', 'producteur', 'autre'] as const;
export type DonorKind = (typeof DONOR_KINDS)[number];

/** Roles of a membership, strongest first. */
export const MEMBERSHIP_ROLES = ['owner', 'manager', 'member'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
