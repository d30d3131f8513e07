/** The interface languages, French first. */
export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr';
/** Cookie that remembers the language chosen with the switch. */
export const LOCALE_COOKIE = 'glane_locale';

export function isLocale(value: unknown): value is Locale {
  return value === 'fr' || value === 'en';
}

/**
 * The best of our locales for an Accept-Language header (`en-GB,en;q=0.9,fr;q=0.8`), by quality
 * then order; undefined when it names none of them.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((entry) => entry.lang).find(isLocale);
}

/**
 * The interface language of a request: the switch's cookie, else the signed-in user's language,
 * else the browser's Accept-Language, else French.
 */
export function resolveLocale(input: {
  cookie?: string | null;
  userLocale?: string | null;
  acceptLanguage?: string | null;
}): Locale {
  if (isLocale(input.cookie)) return input.cookie;
  if (isLocale(input.userLocale)) return input.userLocale;
  return localeFromAcceptLanguage(input.acceptLanguage) ?? DEFAULT_LOCALE;
}

/**
 * A same-site path to go back to after a switch or a sign-in, or `fallback` when the value could
 * lead elsewhere (`//evil.example`, `/\evil`, `https://…`): no open redirect.
 */
export function safeRedirect(value: string | null | undefined, fallback = '/'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\r\n\t]/.test(value) || value.length > 2000) return fallback;
  return value;
}
