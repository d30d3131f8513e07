import { z } from 'zod';
import { RESEAU_PORTEUR_VALUES } from './reseaux-porteurs.js';

/**
 * Organisations: the zod schemas shared by the API routes, the service and the pages (forms can
 * validate in the browser with the same rules). Nothing here may import `$lib/server`: SvelteKit
 * refuses to ship server modules to a browser, so the SIRET check lives here, not in a rules file.
 */

import { DONOR_KINDS, MEMBERSHIP_ROLES, ORGANISATION_KINDS, type DonorKind, type OrganisationKind } from './vocabulary.js';

export {
  DONOR_KINDS,
  MEMBERSHIP_ROLES,
  ORGANISATION_KINDS,
  type DonorKind,
  type MembershipRole,
  type OrganisationKind
} from './vocabulary.js';

/** La Poste's SIREN: its establishments' SIRETs follow "sum of digits divisible by 5", not Luhn. */
export const LA_POSTE_SIREN = '356000000';

/** Removes the spaces people type in a SIRET (`732 829 320 00074`). */
export function normaliseSiret(input: string): string {
  return input.replace(/\s+/g, '');
}

/** Luhn checksum (used by SIREN and SIRET): true when the digit string passes. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * True when `siret` (14 digits, already normalised) is a well-formed SIRET: Luhn key right, or, for
 * La Poste's establishments (SIREN 356000000, too many post offices for the NIC's Luhn key space),
 * a digit sum divisible by 5 (INSEE's documented exception; the head office 35600000000048 passes Luhn).
 */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (luhnValid(siret)) return true;
  if (siret.startsWith(LA_POSTE_SIREN)) {
    const sum = [...siret].reduce((acc, d) => acc + Number(d), 0);
    return sum % 5 === 0;
  }
  return false;
}

/** A SIRET as typed: spaces stripped, then 14 digits with a valid checksum. */
export const siretSchema = z
  .string()
  .transform(normaliseSiret)
  .pipe(
    z
      .string()
      .regex(/^\d{14}$/, 'SIRET must have 14 digits')
      .refine(isValidSiret, 'SIRET checksum is invalid')
  );

const phoneSchema = z
  .string()
  .transform((v) => v.replace(/[\s.\-()]/g, ''))
  .pipe(z.string().regex(/^(\+\d{8,15}|0\d{9})$/, 'Phone must be 10 digits (0…) or international (+…)'));

const emailSchema = z.string().trim().toLowerCase().pipe(z.email('Invalid email address').max(254));

/** A postal address with optional coordinates (both or none). */
export const addressSchema = z
  .strictObject({
    line: z.string().trim().min(1).max(200),
    postalCode: z.string().trim().regex(/^\d{5}$/, 'Postal code must have 5 digits'),
    city: z.string().trim().min(1).max(120),
    inseeCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^(\d{5}|2[AB]\d{3})$/, 'INSEE code must have 5 characters (2A/2B for Corsica)')
      .optional(),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional()
  })
  .superRefine((a, ctx) => {
    if ((a.lat === undefined) !== (a.lng === undefined)) {
      const path = a.lat === undefined ? 'lat' : 'lng';
      ctx.addIssue({ code: 'custom', path: [path], message: 'Give both lat and lng, or neither' });
    }
  });
export type AddressInput = z.infer<typeof addressSchema>;

const nameSchema = z.string().trim().min(2).max(200);

/**
 * The donor-kind rule, shared by create (on the input) and update (on the merged result):
 * returns the problem, or null.
 */
export function donorKindProblem(kind: OrganisationKind, donorKind: DonorKind | null | undefined): string | null {
  if (kind === 'donor' && !donorKind) return 'donorKind is required for a donor';
  if (kind !== 'donor' && donorKind) return 'donorKind is only for donors';
  return null;
}

/** Body of `POST /organisations`. */
export const createOrganisationSchema = z
  .strictObject({
    name: nameSchema,
    kind: z.enum(ORGANISATION_KINDS),
    donorKind: z.enum(DONOR_KINDS).optional(),
    network: z.enum(RESEAU_PORTEUR_VALUES).optional(),
    siret: siretSchema.optional(),
    email: emailSchema.optional(),
    phone: phoneSchema.optional(),
    address: addressSchema.optional()
  })
  .superRefine((o, ctx) => {
    const problem = donorKindProblem(o.kind, o.donorKind);
    if (problem) ctx.addIssue({ code: 'custom', path: ['donorKind'], message: problem });
  });
export type CreateOrganisationInput = z.input<typeof createOrganisationSchema>;
export type CreateOrganisation = z.output<typeof createOrganisationSchema>;

/**
 * Body of `PATCH /organisations/{id}`: every field optional; `null` clears an optional field.
 * The donor-kind rule is checked by the service on the merged result. The slug never changes
 * (links stay stable when an organisation is renamed).
 */
export const updateOrganisationSchema = z.strictObject({
  name: nameSchema.optional(),
  kind: z.enum(ORGANISATION_KINDS).optional(),
  donorKind: z.enum(DONOR_KINDS).nullable().optional(),
  network: z.enum(RESEAU_PORTEUR_VALUES).nullable().optional(),
  siret: siretSchema.nullable().optional(),
  email: emailSchema.nullable().optional(),
  phone: phoneSchema.nullable().optional(),
  address: addressSchema.nullable().optional()
});
export type UpdateOrganisationInput = z.input<typeof updateOrganisationSchema>;
export type UpdateOrganisation = z.output<typeof updateOrganisationSchema>;

/** Body of `POST /organisations/{id}/invitations`: an email is optional (a link works alone). */
export const createInvitationSchema = z.strictObject({
  email: emailSchema.optional(),
  role: z.enum(MEMBERSHIP_ROLES).default('member')
});
export type CreateInvitationInput = z.input<typeof createInvitationSchema>;

/** Body of `PATCH /organisations/{id}/members/{userId}`. */
export const changeRoleSchema = z.strictObject({ role: z.enum(MEMBERSHIP_ROLES) });
export type ChangeRoleInput = z.input<typeof changeRoleSchema>;
