import { fr, type MessageKey } from './fr';
import type { Locale } from './locale';

/** A message with plural forms, chosen by the `count` parameter (Intl.PluralRules). */
export interface Plural {
  one: string;
  other: string;
  zero?: string;
}
export type Message = string | Plural;
export type Params = Record<string, string | number>;

/**
 * The catalogues this process holds. French is always here (the default, and the fallback); English is
 * registered by `./all` on the server (and in tests), and in the browser only on English pages, loaded
 * by the root layout (`./load`): a French page never downloads the English catalogue.
 */
const catalogues: Partial<Record<Locale, Record<MessageKey, Message>>> = { fr };

/** Adds a language's catalogue (see `./all` and `./load`). */
export function registerCatalogue(locale: Locale, catalogue: Record<MessageKey, Message>): void {
  catalogues[locale] = catalogue;
}

/** Whether this process holds `locale`'s catalogue. */
export function hasCatalogue(locale: Locale): boolean {
  return catalogues[locale] !== undefined;
}
const pluralRules: Record<Locale, Intl.PluralRules> = {
  fr: new Intl.PluralRules('fr'),
  en: new Intl.PluralRules('en')
};

/** Replaces `{name}` by `params.name`; unknown names stay visible so a gap is noticed, not hidden. */
export function interpolate(text: string, params: Params = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * The text of `key` in `locale`, with `{param}` interpolated; a plural message picks its form
 * from `params.count`. Falls back to French, then to the key itself, never throws.
 */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const message: Message | undefined = catalogues[locale]?.[key] ?? fr[key];
  if (message === undefined) return key;
  if (typeof message === 'string') return interpolate(message, params);
  const count = Number(params?.count ?? 0);
  const form =
    count === 0 && message.zero !== undefined ? message.zero : pluralRules[locale].select(count) === 'one' ? message.one : message.other;
  return interpolate(form, params);
}

/** Whether `key` is a key of the catalogue (for codes that come from the server, like `errors.<code>`). */
export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(fr, key);
}
