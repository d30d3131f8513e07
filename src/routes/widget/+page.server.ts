import { parseSearchQuery } from '$lib/server/modules/directory/search.rules';
import { servicesOf } from '$lib/web/auth.server';
import { one, queryOf, readFilters, toCard } from '../annuaire/view.server';
import { checkColours, WIDGET_PAGE_SIZE } from './widget.rules';
import type { PageServerLoad } from './$types';

const flag = (params: URLSearchParams, name: string) => ['1', 'true', 'on'].includes((params.get(name) ?? '').toLowerCase());

/**
 * `/widget`: the directory as a city or association website embeds it in an `<iframe>` (made at
 * `/annuaire/integrer`). One page of places around a point or in a commune, filtered by categories
 * and publics, with their open-now sentence. No session and no cookie (hooks.server.ts skips them
 * here; app.ts lets the configured origins frame it). A bad value is dropped, never an error page:
 * the website that embeds it cannot fix its visitors' view. Colours are strict hex with AA contrast,
 * else Glane's own.
 */
export const load: PageServerLoad = async (event) => {
  const services = servicesOf(event);
  const locale = event.locals.locale;
  const params = event.url.searchParams;
  const filters = { ...readFilters(params), q: '', adresse: '', lieu: '', modalites: [], langue: '', accessible: false };
  const radiusKm = one(params, 'radiusKm');

  const raw: Record<string, string | string[] | undefined> = {
    lat: filters.lat && filters.lng ? filters.lat : undefined,
    lng: filters.lat && filters.lng ? filters.lng : undefined,
    radiusKm: filters.lat && filters.lng && radiusKm ? radiusKm : undefined,
    commune: filters.lat && filters.lng ? undefined : filters.commune || undefined,
    categories: filters.categories.length ? filters.categories : undefined,
    publics: filters.publics.length ? filters.publics : undefined,
    openNow: filters.ouvert ? 'true' : undefined,
    pageSize: String(WIDGET_PAGE_SIZE)
  };
  for (const key of Object.keys(raw)) if (raw[key] === undefined) delete raw[key];
  let parsed = parseSearchQuery(raw);
  if (!parsed.ok) {
    for (const issue of parsed.fields) {
      const key = issue.path.split('.')[0] ?? '';
      delete raw[key];
      if (key === 'lat' || key === 'lng') {
        delete raw.lat;
        delete raw.lng;
        delete raw.radiusKm;
      }
    }
    parsed = parseSearchQuery(raw);
  }
  if (!parsed.ok) parsed = parseSearchQuery({ pageSize: String(WIDGET_PAGE_SIZE) });
  if (!parsed.ok) throw new Error('the empty search must be valid');
  if (raw.lat === undefined) filters.lat = filters.lng = '';
  if (raw.commune === undefined) filters.commune = '';
  if (raw.categories === undefined) filters.categories = [];
  if (raw.publics === undefined) filters.publics = [];

  const result = await services.directorySearch.search(parsed.params);
  const now = services.now();
  const colours = checkColours(params.get('couleur'), params.get('couleurTexte'));
  const query = queryOf(filters);

  // Public, the same for everyone: a short shared cache keeps "open now" fresh.
  event.setHeaders({ 'cache-control': 'public, max-age=60' });
  return {
    cards: result.results.map((r) => toCard(r, locale, now)),
    total: result.total,
    center: parsed.params.point ?? result.center,
    colours: { primary: colours.primary, text: colours.text },
    map: flag(params, 'carte'),
    tileUrl: services.config.TILE_URL,
    siteUrl: services.config.PUBLIC_URL,
    directoryUrl: `${services.config.PUBLIC_URL}/annuaire${query ? `?${query}` : ''}`
  };
};
