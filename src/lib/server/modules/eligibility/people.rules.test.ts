import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import {
  CARD_ALPHABET,
  cardPageSize,
  cardText,
  erasureReport,
  formatCardCode,
  generateCardCode,
  hashCardCode,
  lastActivity,
  monthsBefore,
  normaliseCardCode,
  purgeAccountFate,
  reminderMessage
} from './people.rules.js';

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('card codes', () => {
  it('draws 8 symbols of the unambiguous alphabet, never 0, O, 1, I or L', () => {
    expect(CARD_ALPHABET).toHaveLength(31);
    expect(CARD_ALPHABET).not.toMatch(/[01OIL]/);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const code = generateCardCode();
      expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{8}$/);
      seen.add(code);
    }
    expect(seen.size).toBe(500);
  });

  it('prints as XXXX-XXXX and reads back whatever the case, dashes and spaces', () => {
    expect(formatCardCode('ABCD2345')).toBe('ABCD-2345');
    expect(normaliseCardCode('abcd-2345')).toBe('ABCD2345');
    expect(normaliseCardCode(' ab cd 23 45 ')).toBe('ABCD2345');
    expect(normaliseCardCode('ABCD–2345')).toBe('ABCD2345');
  });

  it('refuses a misread code with a 400 naming the field, rather than guessing', () => {
    const zero = caught(() => normaliseCardCode('ABCD-0345'));
    expect(zero.code).toBe('validation_failed');
    expect(zero.details?.fields?.[0]).toMatchObject({ path: 'code', code: 'invalid_character' });
    expect(caught(() => normaliseCardCode('ABCD-O345')).details?.fields?.[0]?.code).toBe('invalid_character');
    expect(caught(() => normaliseCardCode('ABC-2345')).details?.fields?.[0]?.code).toBe('invalid_length');
    expect(caught(() => normaliseCardCode('ABCD-23456')).details?.fields?.[0]?.code).toBe('invalid_length');
  });

  it('hashes the normalised code (sha256 hex), the same for any typing of it', () => {
    expect(hashCardCode(normaliseCardCode('abcd-2345'))).toBe(hashCardCode('ABCD2345'));
    expect(hashCardCode('ABCD2345')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashCardCode('ABCD2345')).not.toBe(hashCardCode('ABCD2346'));
  });
});

describe('what the card prints', () => {
  it('is A6 portrait or ID-1 (85.6 × 54 mm) landscape, in points', () => {
    const [w6, h6] = cardPageSize('a6');
    expect(w6).toBeCloseTo(297.64, 1);
    expect(h6).toBeCloseTo(419.53, 1);
    const [w1, h1] = cardPageSize('id1');
    expect(w1).toBeCloseTo(242.65, 1);
    expect(h1).toBeCloseTo(153.07, 1);
  });

  it('keeps what the font can draw, folds an accent it lacks and marks the rest with "?"', () => {
    // A font that knows ASCII, Latin-1 and Cyrillic, not the combined Vietnamese letters nor ideographs.
    const hasGlyph = (c: number) => c < 0x250 || (c >= 0x400 && c < 0x500) || c === 0x2014;
    expect(cardText('Élodie — Œuvre « à »', hasGlyph)).toBe('Élodie — Œuvre « à »');
    expect(cardText('Ștefan Łucja Олена', hasGlyph)).toBe('Ștefan Łucja Олена');
    expect(cardText('Nguyễn', hasGlyph)).toBe('Nguyen'); // ễ missing, e present
    expect(cardText('明 a\u0007', hasGlyph)).toBe('? a?');
    expect(cardText('Łucja', () => false)).toBe('?????');
  });
});

describe('retention arithmetic', () => {
  it('moves back calendar months, the 31st falling on the last day of a shorter month', () => {
    expect(monthsBefore(new Date('2026-11-29T10:00:00Z'), 24).toISOString()).toBe('2024-11-29T10:00:00.000Z');
    expect(monthsBefore(new Date('2026-03-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(monthsBefore(new Date('2026-01-15T00:00:00Z'), 13).toISOString()).toBe('2024-12-15T00:00:00.000Z');
  });

  it('takes the latest trace, a bare end date counting to the end of that day', () => {
    expect(lastActivity([])).toBeNull();
    expect(lastActivity([null, undefined])).toBeNull();
    expect(lastActivity(['2025-01-01T10:00:00.000Z', '2025-03-01', '2024-12-01T00:00:00.000Z'])).toBe('2025-03-01T23:59:59.999Z');
    expect(lastActivity(['2025-03-02T08:00:00.000Z', '2025-03-01'])).toBe('2025-03-02T08:00:00.000Z');
  });

  it('deletes only accompanied accounts nobody can sign in to; keeps the others', () => {
    const base = { isAccompanied: true, email: null, phone: null, hasPassword: false, isPlatformAdmin: false, hasMemberships: false };
    expect(purgeAccountFate(base)).toBe('delete-account');
    expect(purgeAccountFate({ ...base, isAccompanied: false })).toBe('keep-account');
    expect(purgeAccountFate({ ...base, email: 'a@example.test' })).toBe('keep-account');
    expect(purgeAccountFate({ ...base, phone: '+33600000000' })).toBe('keep-account');
    expect(purgeAccountFate({ ...base, hasPassword: true })).toBe('keep-account');
    expect(purgeAccountFate({ ...base, hasMemberships: true })).toBe('keep-account');
    expect(purgeAccountFate({ ...base, isPlatformAdmin: true })).toBe('keep-account');
  });
});

describe('reminder and erasure texts', () => {
  const grants = [
    { schemeName: 'Marché anti-gaspi', schemeNameEn: 'Anti-waste market', organisationName: 'CCAS', validUntil: '2026-12-10' }
  ];

  it('reminds in the person’s language with the scheme, the date and who to ask', () => {
    const fr = reminderMessage('fr', grants, 'http://glane.test');
    expect(fr.subject).toContain('se termine bientôt');
    expect(fr.text).toContain("Marché anti-gaspi : jusqu'au 10/12/2026 (CCAS)");
    expect(fr.text).toContain('http://glane.test/mon-dossier');
    const en = reminderMessage('en', grants, 'http://glane.test');
    expect(en.text).toContain('Anti-waste market: until 2026-12-10 (CCAS)');
  });

  it('says what is kept after an erasure and why, in French and English', () => {
    const report = erasureReport({ household: 1, requests: 2, documents: 0, decisions: 1, grants: 1, cards: 1, accompaniment: 0 });
    expect(report.deleted).toBe(true);
    expect(report.kept).toHaveLength(1);
    expect(report.kept[0]?.what).toBe('audit_log');
    expect(report.kept[0]?.fr).toMatch(/journal d'audit.*sans nom/);
    expect(report.kept[0]?.en).toMatch(/audit log.*without name/);
    expect(report.summary.fr).toContain('supprimés');
  });
});
