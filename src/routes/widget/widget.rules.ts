/**
 * Pure rules of the embeddable directory widget (`/widget`) and of its generator
 * (`/annuaire/integrer`): strict colour parsing, WCAG contrast, the widget's URL contract and the
 * `<iframe>` snippet. No I/O; relative imports only, so unit tests run without SvelteKit.
 */

/** Glane's own colours (global.css `--primary` / `--on-primary`): used when none or a bad pair is given. */
export const DEFAULT_PRIMARY = '#1f5f3a';
export const DEFAULT_TEXT = '#ffffff';
/** WCAG 2.x AA for normal text. */
export const AA_RATIO = 4.5;
export const DEFAULT_HEIGHT = 600;
export const MIN_HEIGHT = 300;
export const MAX_HEIGHT = 1500;
/** Places shown by the widget (one page: the widget links to the full directory for more). */
export const WIDGET_PAGE_SIZE = 10;
/** Radii offered by the generator, in km. */
export const RADIUS_CHOICES = [1, 2, 5, 10, 20, 50] as const;

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * A colour as `#rrggbb` (lowercase) from `#rgb`, `#rrggbb`, or the same without `#` (handy in a
 * URL, where `#` must be written `%23`); null for anything else. Only this output ever reaches a
 * style: a URL value is never written into CSS as given.
 */
export function parseHexColour(value: string | null | undefined): string | null {
  const match = HEX.exec((value ?? '').trim());
  if (!match) return null;
  const digits = (match[1] as string).toLowerCase();
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
  return `#${full}`;
}

/** WCAG relative luminance of a `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG contrast ratio of two `#rrggbb` colours (1 to 21, symmetric). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** A ratio as shown to a person: two decimals, rounded down (4.499 must not read "4.50" and fail). */
export function ratioText(ratio: number): string {
  return (Math.floor(ratio * 100) / 100).toFixed(2);
}

export type ColourProblem =
  | { kind: 'invalidPrimary' }
  | { kind: 'invalidText' }
  /** The primary colour is used for links and headings on white. */
  | { kind: 'primaryOnWhite'; ratio: number }
  /** The text colour is used on the primary colour (band, numbers). */
  | { kind: 'textOnPrimary'; ratio: number };

/**
 * The widget's two colours, checked: both strict hex, the primary readable on white and the text
 * colour readable on the primary (AA, 4.5:1). Missing values take Glane's. With any problem the
 * colours returned are Glane's own (the widget never shows an unreadable pair) and `problems` says why.
 */
export function checkColours(
  primaryInput: string | null | undefined,
  textInput: string | null | undefined
): { primary: string; text: string; problems: ColourProblem[] } {
  const problems: ColourProblem[] = [];
  const primary = primaryInput?.trim() ? parseHexColour(primaryInput) : DEFAULT_PRIMARY;
  const text = textInput?.trim() ? parseHexColour(textInput) : DEFAULT_TEXT;
  if (!primary) problems.push({ kind: 'invalidPrimary' });
  if (!text) problems.push({ kind: 'invalidText' });
  if (primary) {
    const ratio = contrastRatio(primary, '#ffffff');
    if (ratio < AA_RATIO) problems.push({ kind: 'primaryOnWhite', ratio });
  }
  if (primary && text) {
    const ratio = contrastRatio(text, primary);
    if (ratio < AA_RATIO) problems.push({ kind: 'textOnPrimary', ratio });
  }
  if (problems.length > 0 || !primary || !text) return { primary: DEFAULT_PRIMARY, text: DEFAULT_TEXT, problems };
  return { primary, text, problems };
}

/** A height in CSS pixels for the iframe, within bounds; the default for anything else. */
export function parseHeight(value: string | null | undefined): number {
  const v = (value ?? '').trim();
  if (!/^\d{1,5}$/.test(v)) return DEFAULT_HEIGHT;
  return Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Number(v)));
}

/** What a widget shows: the area, the filters, the look. Values already validated. */
export interface WidgetOptions {
  lat: string;
  lng: string;
  radiusKm: string;
  commune: string;
  categories: string[];
  publics: string[];
  openNow: boolean;
  map: boolean;
  primary: string;
  text: string;
  /** '' = the visitor's browser language. */
  locale: '' | 'fr' | 'en';
}

/**
 * The widget's query string (French names, as on the public pages): area, filters, then look.
 * Colours without `#` (readable in a snippet); Glane's own colours are left out.
 */
export function widgetQuery(o: WidgetOptions): string {
  const out = new URLSearchParams();
  if (o.lat && o.lng) {
    out.set('lat', o.lat);
    out.set('lng', o.lng);
    if (o.radiusKm) out.set('radiusKm', o.radiusKm);
  } else if (o.commune) out.set('commune', o.commune);
  if (o.categories.length) out.set('categories', o.categories.join(','));
  if (o.publics.length) out.set('publics', o.publics.join(','));
  if (o.openNow) out.set('ouvert', '1');
  if (o.map) out.set('carte', '1');
  if (o.primary !== DEFAULT_PRIMARY) out.set('couleur', o.primary.slice(1));
  if (o.text !== DEFAULT_TEXT) out.set('couleurTexte', o.text.slice(1));
  if (o.locale) out.set('langue', o.locale);
  return out.toString();
}

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The `<iframe>` a website pastes: full width, lazy, with a title (its accessible name) and the
 * chosen height. Every attribute value is escaped.
 */
export function iframeSnippet(src: string, title: string, height: number): string {
  return (
    `<iframe src="${escapeAttribute(src)}" title="${escapeAttribute(title)}" ` +
    `width="100%" height="${Math.round(height)}" loading="lazy" style="border:0;max-width:100%"></iframe>`
  );
}
