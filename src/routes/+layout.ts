import { browser } from '$app/environment';
import { loadCatalogue } from '$lib/i18n/load';
import type { LayoutLoad } from './$types';

/** In the browser, the page's language catalogue is loaded before anything renders (English on demand). */
export const load: LayoutLoad = async ({ data }) => {
  if (browser) await loadCatalogue(data.locale);
  return data;
};
