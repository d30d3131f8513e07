import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/all';
import { formatCents, parseEurosToCents } from '../schemas/eligibility-vocabulary';
import { communeNamer, describeReason, schemeDescription, schemeName } from './eligibility';

const fr = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('fr', key, params);
const en = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('en', key, params);
/** Intl's narrow no-break spaces, as plain spaces, for readable expectations. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money on pages', () => {
  it('formats cents as euros in each language', () => {
    expect(plain(formatCents(81_200, 'fr'))).toBe('812,00 €');
    expect(formatCents(700, 'en')).toBe('€7.00');
    expect(plain(formatCents(-334, 'fr'))).toBe('-3,34 €');
  });

  it('reads what people type as euros', () => {
    expect(parseEurosToCents('850')).toBe(85_000);
    expect(parseEurosToCents('850,5')).toBe(85_050);
    expect(parseEurosToCents('1 234,56 €')).toBe(123_456);
    expect(parseEurosToCents('0.07')).toBe(7);
    expect(parseEurosToCents('12,345')).toBeNull();
    expect(parseEurosToCents('-5')).toBeNull();
    expect(parseEurosToCents('')).toBeNull();
    expect(parseEurosToCents('abc')).toBeNull();
  });
});

describe('reasons in plain words', () => {
  const namer = communeNamer([{ insee: '59999', name: 'Glaneville-en-Barœul' }], fr);

  it('phrases each reason with its figures', () => {
    expect(plain(describeReason({ code: 'reste_a_vivre_over', value: 812, max: 700 }, fr, 'fr'))).toBe(
      'Votre reste à vivre, 8,12 € par personne et par jour, dépasse le plafond de 7,00 €.'
    );
    expect(describeReason({ code: 'quotient_familial_over', value: 72_000, max: 60_000 }, en, 'en')).toBe(
      'Your family quotient, €720.00 a month, is above the limit of €600.00.'
    );
    expect(plain(describeReason({ code: 'reste_a_vivre_unknown', max: 900, missing: ['monthlyResourcesCents', 'monthlyChargesCents'] }, fr, 'fr'))).toBe(
      'Le plafond est de 9,00 € de reste à vivre par personne et par jour : indiquez vos ressources du mois et vos charges du mois pour le savoir.'
    );
    expect(describeReason({ code: 'commune_not_covered', commune: 'other', communes: ['59999', '59350'] }, fr, 'fr', namer)).toBe(
      'Ce dispositif est réservé aux habitants de : Glaneville-en-Barœul et 59350.'
    );
    expect(describeReason({ code: 'profile_not_accepted', profile: 'autre', accepted: ['etudiant', 'retraite', 'demandeur-emploi'] }, fr, 'fr')).toBe(
      'Ce dispositif est réservé à : Étudiant ou étudiante, Retraité ou retraitée et Demandeur ou demandeuse d’emploi.'
    );
    expect(describeReason({ code: 'data_invalid', field: 'size' }, en, 'en')).toBe('Some information does not allow the calculation: the size of the household.');
    expect(namer('other')).toBe('une autre commune');
  });

  it('names and describes a scheme in the page’s language', () => {
    const scheme = { code: 'anti-gaspi', name: 'Dons anti-gaspi', nameEn: 'Anti-waste donations', description: 'Texte du territoire' };
    expect(schemeName(scheme, 'fr')).toBe('Dons anti-gaspi');
    expect(schemeName(scheme, 'en')).toBe('Anti-waste donations');
    expect(schemeName({ ...scheme, nameEn: null }, 'en')).toBe('Dons anti-gaspi');
    expect(schemeDescription(scheme, 'fr', fr)).toBe('Texte du territoire');
    expect(schemeDescription(scheme, 'en', en)).toMatch(/^Reserve surplus food/);
    expect(schemeDescription({ ...scheme, code: 'local', description: null }, 'en', en)).toBeNull();
  });
});
