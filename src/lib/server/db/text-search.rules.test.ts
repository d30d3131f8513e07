import { describe, expect, it } from 'vitest';
import { foldText, MAX_QUERY_TERMS, toQueryTerms, toSearchText } from './text-search.rules.js';

describe('foldText', () => {
  it('removes accents and case', () => {
    expect(foldText('Épicerie SOLIDAIRE à Lille')).toBe('epicerie solidaire a lille');
    expect(foldText('Noël, çà, où, île, Ünïcödé')).toBe('noel, ca, ou, ile, unicode');
  });

  it('expands the ligatures French writes, in both cases', () => {
    expect(foldText('Restos du Cœur')).toBe('restos du coeur');
    expect(foldText('CŒUR')).toBe('coeur');
    expect(foldText('Ex æquo, Æ')).toBe('ex aequo, ae');
    expect(foldText('Straße')).toBe('strasse');
  });

  it('folds compatibility forms (ﬁ ligature, full-width letters)', () => {
    expect(foldText('proﬁteroles')).toBe('profiteroles');
    expect(foldText('ＡＢＣ')).toBe('abc');
  });

  it('collapses and trims whitespace, including non-breaking spaces', () => {
    expect(foldText('  pain \t\n frais\u00a0 bio  ')).toBe('pain frais bio');
  });

  it('is idempotent', () => {
    const s = 'Épicerie sociale & solidaire — Cœur d’Artois';
    expect(foldText(foldText(s))).toBe(foldText(s));
  });

  it('returns an empty string for blank input', () => {
    expect(foldText('   ')).toBe('');
  });
});

describe('toQueryTerms', () => {
  it('returns folded words', () => {
    expect(toQueryTerms('ÉPICERIE solidaire')).toEqual(['epicerie', 'solidaire']);
    expect(toQueryTerms('Cœur')).toEqual(['coeur']);
  });

  it('drops punctuation and query operators', () => {
    expect(toQueryTerms('"pain" (frais) -bio AND lait* body:x ^ NEAR(a b)')).toEqual([
      'pain',
      'frais',
      'bio',
      'and',
      'lait',
      'body',
      'x',
      'near',
      'a',
      'b'
    ]);
    expect(toQueryTerms(`l'épicerie`)).toEqual(['l', 'epicerie']);
    expect(toQueryTerms('saint-pierre')).toEqual(['saint', 'pierre']);
  });

  it('keeps digits and one-letter words', () => {
    expect(toQueryTerms('59000 a')).toEqual(['59000', 'a']);
  });

  it('removes duplicates and keeps at most MAX_QUERY_TERMS terms', () => {
    expect(toQueryTerms('pain PAIN Pain')).toEqual(['pain']);
    const many = Array.from({ length: 30 }, (_, i) => `mot${i}`).join(' ');
    expect(toQueryTerms(many)).toHaveLength(MAX_QUERY_TERMS);
    expect(toQueryTerms(many)[0]).toBe('mot0');
  });

  it('returns no term for empty or punctuation-only input', () => {
    expect(toQueryTerms('')).toEqual([]);
    expect(toQueryTerms(' "" () * - : ')).toEqual([]);
  });

  it('only ever yields letters and digits', () => {
    for (const q of [`a"b`, `'; DROP TABLE x; --`, 'x:*|y&!z', '\u0000\u200b']) {
      for (const t of toQueryTerms(q)) expect(t).toMatch(/^[\p{L}\p{N}]+$/u);
    }
  });
});

describe('toSearchText', () => {
  it('stores the folded words separated by single spaces', () => {
    expect(toSearchText('Épicerie « Le Cœur » — 12, rue Saint-Pierre; contact@exemple.fr')).toBe(
      'epicerie le coeur 12 rue saint pierre contact exemple fr'
    );
  });
});
