import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fieldMessage, fieldId } from './fields';
import { fr } from './fr';
import { localeFromAcceptLanguage, resolveLocale, safeRedirect } from './locale';
import { hasMessage, interpolate, translate } from './all';

const texts = (m: unknown): string[] => (typeof m === 'string' ? [m] : Object.values(m as Record<string, string>));
const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it('en has exactly the keys of fr', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
  });

  it('no message is empty in either language', () => {
    for (const [key, message] of [...Object.entries(fr), ...Object.entries(en)]) {
      for (const text of texts(message)) expect(text.trim(), key).not.toBe('');
    }
  });

  it('a French plural is an English plural, and both use the same {params}', () => {
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      const f = fr[key];
      const e = en[key];
      expect(typeof e, key).toBe(typeof f);
      expect(params(texts(e).join(' ')).filter((p, i, a) => a.indexOf(p) === i), key).toEqual(
        params(texts(f).join(' ')).filter((p, i, a) => a.indexOf(p) === i)
      );
    }
  });

  it('has a translation for every error code services throw', async () => {
    const { ERROR_CODES } = await import('../server/errors');
    for (const code of ERROR_CODES) expect(hasMessage(`errors.${code}`), code).toBe(true);
  });
});

describe('translate', () => {
  it('interpolates parameters and leaves unknown ones visible', () => {
    expect(interpolate('Bonjour {name} {x}', { name: 'Awa' })).toBe('Bonjour Awa {x}');
    expect(translate('fr', 'home.welcome', { name: 'Awa' })).toBe('Bonjour Awa.');
    expect(translate('en', 'home.welcome', { name: 'Awa' })).toBe('Hello Awa.');
  });

  it('chooses plural forms by count, with French treating 0 and 1 as singular', () => {
    expect(translate('fr', 'members.count', { count: 1 })).toBe('1 membre');
    expect(translate('fr', 'members.count', { count: 0 })).toBe('0 membre');
    expect(translate('fr', 'members.count', { count: 3 })).toBe('3 membres');
    expect(translate('en', 'members.count', { count: 0 })).toBe('0 members');
    expect(translate('en', 'members.count', { count: 1 })).toBe('1 member');
    expect(translate('fr', 'orgs.count', { count: 0 })).toBe('Aucune organisation.');
  });
});

describe('locale resolution', () => {
  it('prefers the cookie, then the user, then Accept-Language, then French', () => {
    expect(resolveLocale({ cookie: 'en', userLocale: 'fr', acceptLanguage: 'fr' })).toBe('en');
    expect(resolveLocale({ cookie: 'xx', userLocale: 'en', acceptLanguage: 'fr' })).toBe('en');
    expect(resolveLocale({ acceptLanguage: 'en-GB,en;q=0.9' })).toBe('en');
    expect(resolveLocale({ acceptLanguage: 'de-DE,de;q=0.9' })).toBe('fr');
    expect(resolveLocale({})).toBe('fr');
  });

  it('reads Accept-Language by quality, not only by order', () => {
    expect(localeFromAcceptLanguage('en;q=0.5,fr;q=0.9')).toBe('fr');
    expect(localeFromAcceptLanguage('de,en;q=0.8,fr;q=0.7')).toBe('en');
    expect(localeFromAcceptLanguage('fr;q=0,en;q=0.1')).toBe('en');
    expect(localeFromAcceptLanguage('')).toBeUndefined();
  });

  it('only redirects within the site', () => {
    expect(safeRedirect('/organisations?x=1')).toBe('/organisations?x=1');
    expect(safeRedirect('//evil.example/')).toBe('/');
    expect(safeRedirect('/\\evil.example')).toBe('/');
    expect(safeRedirect('https://evil.example')).toBe('/');
    expect(safeRedirect(null, '/compte')).toBe('/compte');
  });
});

describe('field messages', () => {
  it('translates the shared schemas’ issues into catalogue keys', () => {
    expect(fieldMessage({ path: 'email', message: 'not a valid email address', code: 'invalid_format' }).key).toBe('fieldErrors.email');
    expect(fieldMessage({ path: 'email', message: 'already used' }).key).toBe('fieldErrors.emailTaken');
    expect(fieldMessage({ path: 'email', message: 'already a member' }).key).toBe('fieldErrors.alreadyMember');
    expect(fieldMessage({ path: 'password', message: 'at least 10 characters', code: 'too_small' })).toEqual({
      key: 'fieldErrors.passwordLength',
      params: { min: 10 }
    });
    expect(fieldMessage({ path: 'password', message: 'must not be your email address', code: 'custom' }).key).toBe(
      'fieldErrors.passwordIsEmail'
    );
    expect(fieldMessage({ path: 'displayName', message: 'required', code: 'too_small' }).key).toBe('fieldErrors.required');
    expect(fieldMessage({ path: 'code', message: 'must be 6 digits', code: 'invalid_format' }).key).toBe('fieldErrors.code');
    expect(fieldMessage({ path: 'siret', message: 'SIRET checksum is invalid', code: 'custom' }).key).toBe('fieldErrors.siretChecksum');
    expect(fieldMessage({ path: 'address.postalCode', message: 'Postal code must have 5 digits' }).key).toBe('fieldErrors.postalCode');
    expect(fieldMessage({ path: 'destination', message: 'not a valid phone number', code: 'custom' }).key).toBe('fieldErrors.phone');
    expect(fieldMessage({ path: 'name', message: 'Too small', code: 'too_small' }).key).toBe('fieldErrors.tooShort');
    expect(fieldMessage({ path: 'whatever', message: '???' }).key).toBe('fieldErrors.invalid');
  });

  it('makes a valid element id from a dotted path', () => {
    expect(fieldId('address.postalCode')).toBe('field-address-postalCode');
  });
});

/** Every .svelte file of the pages and components. */
function svelteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return svelteFiles(path);
    return path.endsWith('.svelte') ? [path] : [];
  });
}

describe('no hard-coded interface text', () => {
  const root = join(import.meta.dirname, '..', '..');
  const files = [...svelteFiles(join(root, 'routes')), ...svelteFiles(join(root, 'lib', 'components'))];

  /** Removes `{…}` expressions and blocks, innermost first (they may nest). */
  const withoutExpressions = (text: string) => {
    let previous;
    do {
      previous = text;
      text = text.replace(/\{[^{}]*\}/g, ' ');
    } while (text !== previous);
    return text;
  };

  it.each(files.map((f) => [f.slice(root.length + 1), f]))('%s has no bare words in its markup', (_name, file) => {
    const markup = withoutExpressions(
      readFileSync(file, 'utf8')
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/<!--[\s\S]*?-->/g, '')
    )
      // Tags with their attributes.
      .replace(/<[^>]*>/g, ' ');
    const words = markup.match(/\p{L}{2,}/gu) ?? [];
    expect(words, 'wrap interface text in {t(...)}').toEqual([]);
  });

  it('no aria-label, title, alt or placeholder has literal text', () => {
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const literal = source.match(/\b(aria-label|title|alt|placeholder)="[^"{]*\p{L}[^"{]*"/gu) ?? [];
      expect(literal, file).toEqual([]);
    }
  });
});
