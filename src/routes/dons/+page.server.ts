import { fail } from '@sveltejs/kit';
import { ALLERGENS, DIETS, OFFER_CATEGORIES } from '$lib/schemas/marketplace-vocabulary';
import { FEED_DEFAULT_RADIUS_KM, FEED_MAX_RADIUS_KM } from '$lib/schemas/reservations';
import { parseFeedQuery, type RawFeedQuery } from '$lib/server/modules/marketplace/feed.rules';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

/** Radii offered in the filter form, in km. */
const RADII = [1, 2, 3, 5, 10, 20];
const PAGE_SIZE = 20;

/** The URL's filters (repeated checkbox values joined), as the feed's rules read them. */
function rawOf(params: URLSearchParams): RawFeedQuery {
  const joined = (name: string) => {
    const all = params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    return all.length > 0 ? all.join(',') : undefined;
  };
  const one = (name: string) => params.get(name)?.trim() || undefined;
  return {
    lat: one('lat'),
    lng: one('lng'),
    radiusKm: one('radiusKm'),
    categories: joined('categories'),
    diets: joined('diets'),
    excludeAllergens: joined('excludeAllergens'),
    sort: one('sort'),
    offset: one('offset'),
    limit: String(PAGE_SIZE)
  };
}

/**
 * `/dons`: the feed for eligible people, rendered on the server from the URL (filters are a link;
 * no JavaScript needed). Without a point, the saved area, else the middle of the live offers.
 * Bad filters (a hand-edited URL) are dropped with a message, never an error page.
 */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  if (!(await services.feed.isEligible(actor.userId))) return { eligible: false as const };

  const prefs = await services.feed.getPreferences(actor);
  const raw = rawOf(event.url.searchParams);
  let invalid = false;
  let parsed = parseFeedQuery(raw, prefs.isSaved ? prefs : null);
  if (!parsed.query) {
    const bad = new Set(parsed.issues.map((i) => i.path));
    const dropped = { ...raw } as Record<string, string | undefined>;
    for (const key of bad) delete dropped[key];
    if (bad.has('lat') || bad.has('lng')) {
      delete dropped.lat;
      delete dropped.lng;
    }
    invalid = parsed.issues.some((i) => i.code !== 'required');
    parsed = parseFeedQuery(dropped, prefs.isSaved ? prefs : null);
  }
  if (!parsed.query) {
    const centre = await services.feed.defaultCentre();
    if (centre) parsed = parseFeedQuery({ ...raw, lat: String(centre.lat), lng: String(centre.lng), radiusKm: raw.radiusKm ?? '10' }, null);
  }
  if (!parsed.query) {
    return {
      eligible: true as const,
      invalid,
      items: [],
      total: 0,
      totalCapped: false,
      query: null,
      filters: { categories: [] as string[], diets: [] as string[], excludeAllergens: [] as string[] },
      prefs,
      radii: RADII,
      tileUrl: services.config.TILE_URL
    };
  }
  const diets = DIETS.filter((_, i) => (parsed.query!.dietMask & (1 << i)) !== 0);
  const excludeAllergens = ALLERGENS.filter((_, i) => (parsed.query!.excludeAllergenMask & (1 << i)) !== 0);
  const page = await services.feed.feed(actor, {
    lat: String(parsed.query.lat),
    lng: String(parsed.query.lng),
    radiusKm: String(parsed.query.radiusKm),
    categories: parsed.query.categories.join(',') || undefined,
    diets: diets.join(',') || undefined,
    excludeAllergens: excludeAllergens.join(',') || undefined,
    sort: parsed.query.sort,
    limit: String(PAGE_SIZE),
    offset: String(parsed.query.offset)
  });
  const q = page.query;
  return {
    eligible: true as const,
    invalid,
    items: page.items,
    total: page.total,
    totalCapped: page.totalCapped,
    query: { lat: q.lat, lng: q.lng, radiusKm: q.radiusKm, sort: q.sort, offset: q.offset, limit: q.limit },
    filters: { categories: q.categories as string[], diets: diets as string[], excludeAllergens: excludeAllergens as string[] },
    prefs,
    radii: RADII.includes(q.radiusKm) ? RADII : [...RADII, q.radiusKm].sort((a, b) => a - b),
    tileUrl: services.config.TILE_URL
  };
};

export const actions: Actions = {
  /** "Enregistrer cette zone": the point, radius and filters of the form become the saved area. */
  saveArea: async (event) => {
    const actor = actorOf(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    const list = <T extends string>(name: string, allowed: readonly T[]) =>
      data.getAll(name).filter((v): v is T => typeof v === 'string' && allowed.includes(v as T));
    const lat = Number(data.get('lat'));
    const lng = Number(data.get('lng'));
    const radiusKm = Math.min(FEED_MAX_RADIUS_KM, Math.max(0.1, Number(data.get('radiusKm')) || FEED_DEFAULT_RADIUS_KM));
    try {
      await services.feed.savePreferences(actor, {
        lat: Number.isFinite(lat) && data.get('lat') ? lat : null,
        lng: Number.isFinite(lng) && data.get('lng') ? lng : null,
        radiusKm,
        categories: list('categories', OFFER_CATEGORIES),
        diets: list('diets', DIETS),
        excludeAllergens: list('excludeAllergens', ALLERGENS)
      });
    } catch (err) {
      if (isAppErrorLike(err)) return fail(400, { saveFailed: true });
      throw err;
    }
    return { areaSaved: true };
  }
};
