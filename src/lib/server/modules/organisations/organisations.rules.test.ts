import { describe, expect, it } from 'vitest';
import {
  createOrganisationSchema,
  isValidSiret,
  luhnValid,
  normaliseSiret,
  siretSchema,
  updateOrganisationSchema
} from '../../../schemas/organisations.js';
import { RESEAUX_PORTEURS } from '../../../schemas/reseaux-porteurs.js';
import {
  INVITATION_TTL_DAYS,
  invitationExpiresAt,
  invitationStatus,
  leavesNoOwner,
  searchBody,
  slugify,
  uniqueSlug
} from './organisations.rules.js';

describe('SIRET', () => {
  it('accepts SIRETs whose Luhn key is right', () => {
    // Real establishments: Danone head office, Apple France.
    expect(isValidSiret('55203253400646')).toBe(true);
    expect(isValidSiret('73282932000074')).toBe(true);
  });

  it('rejects a SIRET with one digit changed', () => {
    expect(isValidSiret('73282932000075')).toBe(false);
    expect(isValidSiret('55203253400647')).toBe(false);
  });

  it('rejects anything but 14 digits', () => {
    expect(isValidSiret('7328293200007')).toBe(false);
    expect(isValidSiret('732829320000740')).toBe(false);
    expect(isValidSiret('7328293200007A')).toBe(false);
    expect(isValidSiret('')).toBe(false);
  });

  it('checks La Poste establishments (SIREN 356000000) by digit sum modulo 5, not Luhn', () => {
    // 3+5+6+4+9+8+3+7 = 45: divisible by 5, although the Luhn key is wrong.
    expect(luhnValid('35600000049837')).toBe(false);
    expect(isValidSiret('35600000049837')).toBe(true);
    // 46: not divisible by 5, and not Luhn either.
    expect(luhnValid('35600000049838')).toBe(false);
    expect(isValidSiret('35600000049838')).toBe(false);
    // La Poste's head office: digit sum 26, but its Luhn key is right.
    expect(isValidSiret('35600000000048')).toBe(true);
  });

  it('strips the spaces people type', () => {
    expect(normaliseSiret(' 732 829 320 00074 ')).toBe('73282932000074');
    expect(siretSchema.parse('732 829 320 00074')).toBe('73282932000074');
    expect(siretSchema.safeParse('732 829 320 00075').success).toBe(false);
  });
});

describe('slugify', () => {
  it('folds accents, ligatures, case and punctuation', () => {
    expect(slugify("Œuvre de l'Épi d'Or")).toBe('oeuvre-de-l-epi-d-or');
    expect(slugify('  Restos du Cœur — Villeneuve  ')).toBe('restos-du-coeur-villeneuve');
    expect(slugify('CCAS de Lys-lez-Lannoy')).toBe('ccas-de-lys-lez-lannoy');
  });

  it('is never empty and stays short', () => {
    expect(slugify('!!!')).toBe('organisation');
    const long = slugify('a'.repeat(30) + ' ' + 'b'.repeat(60));
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long.endsWith('-')).toBe(false);
  });

  it('picks the first free suffix', () => {
    expect(uniqueSlug('epi', [])).toBe('epi');
    expect(uniqueSlug('epi', ['epi'])).toBe('epi-2');
    expect(uniqueSlug('epi', ['epi', 'epi-2', 'epi-4'])).toBe('epi-3');
  });
});

describe('invitations', () => {
  const now = new Date('2026-11-29T10:00:00.000Z');
  const pending = { acceptedAt: null, revokedAt: null, expiresAt: invitationExpiresAt(now).toISOString() };

  it('expires after 7 days', () => {
    expect(INVITATION_TTL_DAYS).toBe(7);
    expect(pending.expiresAt).toBe('2026-12-06T10:00:00.000Z');
    expect(invitationStatus(pending, new Date('2026-12-06T09:59:59.999Z'))).toBe('pending');
    expect(invitationStatus(pending, new Date('2026-12-06T10:00:00.000Z'))).toBe('expired');
  });

  it('reports accepted and revoked over expired', () => {
    const late = new Date('2027-01-01T00:00:00.000Z');
    expect(invitationStatus({ ...pending, acceptedAt: now.toISOString() }, late)).toBe('accepted');
    expect(invitationStatus({ ...pending, revokedAt: now.toISOString() }, late)).toBe('revoked');
  });
});

describe('last owner', () => {
  it('forbids demoting or removing the only owner', () => {
    expect(leavesNoOwner(1, 'owner', 'manager')).toBe(true);
    expect(leavesNoOwner(1, 'owner', null)).toBe(true);
  });
  it('allows it when another owner stays, and never concerns other roles', () => {
    expect(leavesNoOwner(2, 'owner', 'member')).toBe(false);
    expect(leavesNoOwner(1, 'owner', 'owner')).toBe(false);
    expect(leavesNoOwner(1, 'manager', null)).toBe(false);
    expect(leavesNoOwner(1, 'member', 'manager')).toBe(false);
  });
});

describe('organisation input', () => {
  const base = { name: 'Épicerie solidaire', kind: 'association' as const };

  it('requires donorKind for donors and forbids it otherwise', () => {
    const noKind = createOrganisationSchema.safeParse({ name: 'Boulangerie Paul', kind: 'donor' });
    expect(noKind.success).toBe(false);
    expect(noKind.error?.issues[0]?.path).toEqual(['donorKind']);
    expect(createOrganisationSchema.safeParse({ name: 'Boulangerie Paul', kind: 'donor', donorKind: 'commerce' }).success).toBe(true);
    const extra = createOrganisationSchema.safeParse({ ...base, donorKind: 'commerce' });
    expect(extra.error?.issues[0]?.path).toEqual(['donorKind']);
  });

  it('accepts only data·inclusion networks', () => {
    expect(RESEAUX_PORTEURS.length).toBeGreaterThan(100);
    expect(createOrganisationSchema.safeParse({ ...base, network: 'restos-du-coeur' }).success).toBe(true);
    const bad = createOrganisationSchema.safeParse({ ...base, network: 'restos' });
    expect(bad.error?.issues[0]?.path).toEqual(['network']);
  });

  it('validates the address: postal code, INSEE code with Corsica, coordinates both or none', () => {
    const address = { line: '1 rue de la Paix', postalCode: '59650', city: 'Villeneuve-d’Ascq' };
    expect(createOrganisationSchema.safeParse({ ...base, address }).success).toBe(true);
    expect(createOrganisationSchema.parse({ ...base, address: { ...address, inseeCode: '2a004' } }).address?.inseeCode).toBe('2A004');
    const cp = createOrganisationSchema.safeParse({ ...base, address: { ...address, postalCode: '5965' } });
    expect(cp.error?.issues[0]?.path).toEqual(['address', 'postalCode']);
    const insee = createOrganisationSchema.safeParse({ ...base, address: { ...address, inseeCode: '2C004' } });
    expect(insee.error?.issues[0]?.path).toEqual(['address', 'inseeCode']);
    const half = createOrganisationSchema.safeParse({ ...base, address: { ...address, lat: 50.6 } });
    expect(half.error?.issues[0]?.path).toEqual(['address', 'lng']);
    const range = createOrganisationSchema.safeParse({ ...base, address: { ...address, lat: 91, lng: 3 } });
    expect(range.error?.issues[0]?.path).toEqual(['address', 'lat']);
  });

  it('normalises email and phone, and rejects bad ones', () => {
    const ok = createOrganisationSchema.parse({ ...base, email: ' Contact@Epi.FR ', phone: '03 20 12 34 56' });
    expect(ok.email).toBe('contact@epi.fr');
    expect(ok.phone).toBe('0320123456');
    expect(createOrganisationSchema.safeParse({ ...base, email: 'nope' }).error?.issues[0]?.path).toEqual(['email']);
    expect(createOrganisationSchema.safeParse({ ...base, phone: '12' }).error?.issues[0]?.path).toEqual(['phone']);
  });

  it('refuses unknown fields', () => {
    const r = createOrganisationSchema.safeParse({ ...base, slug: 'mine' });
    expect(r.success).toBe(false);
    expect(updateOrganisationSchema.safeParse({ slug: 'mine' }).success).toBe(false);
  });

  it('lets an update clear optional fields with null', () => {
    expect(updateOrganisationSchema.parse({ siret: null, address: null })).toEqual({ siret: null, address: null });
  });
});

describe('searchBody', () => {
  it('indexes name, city and the network label', () => {
    expect(searchBody({ name: 'Antenne', city: 'Lille', network: 'restos-du-coeur' })).toBe('Antenne Lille Restos du Coeur');
    expect(searchBody({ name: 'Antenne', city: null, network: null })).toBe('Antenne');
  });
});
