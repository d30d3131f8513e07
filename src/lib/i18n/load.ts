import { hasCatalogue, registerCatalogue } from './translate';
import type { Locale } from './locale';

/**
 * In the browser: makes sure the page's language is held before it renders (the root layout's load
 * awaits it). French is always bundled; English is a chunk of its own, fetched only for English pages.
 */
export async function loadCatalogue(locale: Locale): Promise<void> {
  if (locale === 'en' && !hasCatalogue('en')) registerCatalogue('en', (await import('./en')).en);
}
