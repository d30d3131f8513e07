import { error, redirect } from '@sveltejs/kit';
import type { WeekDayView } from '$lib/components/OpeningHours.svelte';
import { formatParis } from '$lib/i18n/dates';
import type { MessageKey } from '$lib/i18n/fr';
import { hasMessage, translate } from '$lib/i18n/all';
import type { Locale } from '$lib/i18n/locale';
import { parisDateKey, toWeekTable, type TemporaryOverride } from '$lib/server/modules/directory/hours.rules';
import type { PlaceDetail, ServiceView } from '$lib/server/modules/directory/directory.presenter';
import type { NoticeRecord } from '$lib/server/modules/directory/directory.repository';
import { optionalActor, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import { dayText, languageName, phoneText, telHref, webUrl } from '../../annuaire/view.server';
import { stopDatesText } from './stops';
import type { PageServerLoad } from './$types';

const label = (locale: Locale, prefix: string, value: string) => {
  const key = `${prefix}.${value}`;
  return hasMessage(key) ? translate(locale, key as MessageKey) : value;
};

const overridesOf = (notices: NoticeRecord[], serviceId: string | null): TemporaryOverride[] =>
  notices
    .filter((n) => n.serviceId === null || n.serviceId === serviceId)
    .map((n) => ({
      kind: n.kind,
      startsOn: n.startsOn,
      endsOn: n.endsOn,
      ...(n.openingHours ? { openingHours: n.openingHours } : {}),
      ...(n.message ? { message: n.message } : {})
    }));

/** The week table, or null when the hours cannot be read (the sentence then says "to confirm"). */
function weekOf(hours: string | null, at: Date, overrides: TemporaryOverride[]): WeekDayView[] | null {
  if (!hours) return null;
  try {
    return toWeekTable(hours, at, overrides);
  } catch {
    return null;
  }
}

/** A free code from partner data (`enfant-de-moins-de-18-mois`) as words. */
const readable = (code: string) => code.replace(/[-_]+/g, ' ').trim();

/** Conditions of access as sentences (age, gender, family, status, students). */
function conditionLines(s: ServiceView, locale: Locale): string[] {
  const c = s.conditions ?? {};
  const lines: string[] = [];
  const min = typeof c.ageMin === 'number' ? c.ageMin : null;
  const max = typeof c.ageMax === 'number' ? c.ageMax : null;
  if (min !== null && max !== null) lines.push(translate(locale, 'place.service.age', { min, max }));
  else if (min !== null) lines.push(translate(locale, 'place.service.ageMin', { min }));
  else if (max !== null) lines.push(translate(locale, 'place.service.ageMax', { max }));
  // Closed-list values are translated; free values from imports are shown as words.
  const words = (prefix: string, v: unknown) =>
    (Array.isArray(v) ? v : [v])
      .filter((x): x is string => typeof x === 'string' && x !== '')
      .map((x) => (hasMessage(`${prefix}.${x}`) ? label(locale, prefix, x) : readable(x)))
      .join(', ');
  const gender = words('vocab.gender', c.gender);
  const family = words('vocab.family', c.family);
  const status = words('vocab.adminStatus', c.status);
  if (gender) lines.push(translate(locale, 'place.service.gender', { value: gender }));
  if (family) lines.push(translate(locale, 'place.service.family', { value: family }));
  if (status) lines.push(translate(locale, 'place.service.status', { value: status }));
  if (c.students === true) lines.push(translate(locale, 'place.service.students'));
  if (typeof c.details === 'string' && c.details.trim()) lines.push(c.details.trim());
  return lines;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * `/lieux/{slug}`: a place's public page, rendered on the server (printable, shareable, indexable).
 * An id or an old address redirects to the stable slug URL; an unknown one is a 404.
 */
export const load: PageServerLoad = async (event) => {
  const services = servicesOf(event);
  const locale = event.locals.locale;
  const now = services.now();
  let detail: PlaceDetail;
  try {
    detail = await services.directory.getPublicPlace(event.params.slug, optionalActor(event), now);
  } catch (err) {
    if (isAppErrorLike(err) && (err.code === 'not_found' || err.code === 'validation_failed')) error(404, 'Not found');
    throw err;
  }
  if (detail.slug !== event.params.slug) redirect(301, `/lieux/${encodeURIComponent(detail.slug)}`);

  const today = parisDateKey(now);
  const notices = detail.notices
    .filter((n) => n.endsOn >= today)
    .map((n) => {
      const dates = { from: dayText(n.startsOn, locale), to: dayText(n.endsOn, locale) };
      // Temporary hours show in the week table; the notice gives the dates (never the raw OSM syntax).
      const text = translate(locale, n.kind === 'closure' ? 'place.notice.closure' : 'place.notice.hoursShort', dates);
      const service = n.serviceId ? detail.services.find((s) => s.id === n.serviceId)?.name ?? null : null;
      return { id: n.id, text, message: n.message, service, current: n.startsOn <= today };
    });

  const placeServices = detail.services.map((s) => {
    const food = s.food ?? {};
    const ownHours = s.openingHours !== null && s.openingHours !== detail.openingHours;
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      categories: s.categories.map((v) => label(locale, 'vocab.category', v)),
      publics: s.publics.map((v) => label(locale, 'vocab.public', v)),
      publicsDetails: s.publicsDetails,
      access: translate(locale, `vocab.access.${s.access}` as MessageKey),
      conditions: conditionLines(s, locale),
      modalities: s.modalities.map((v) => label(locale, 'vocab.modality', v)),
      modalitiesDetails: s.modalitiesDetails,
      fees: s.frais ? label(locale, 'vocab.frais', s.frais) : null,
      feesDetails: s.fraisDetails,
      food: {
        products: strings(food.products).map((v) => label(locale, 'vocab.product', v)),
        diets: strings(food.diets).map((v) => label(locale, 'vocab.diet', v)),
        choice: typeof food.choice === 'string' ? label(locale, 'vocab.choice', food.choice) : null,
        mealTypes: strings(food.mealTypes),
        delivery: strings(food.delivery).map((v) => label(locale, 'vocab.delivery', v))
      },
      mobilisationModes: [
        ...s.modesMobilisation.map((v) => label(locale, 'vocab.modeMobilisation', v)),
        ...s.mobilisablePar.map((v) => label(locale, 'vocab.mobilisablePar', v))
      ],
      mobilisationDetails: s.mobilisationDetails,
      mobilisationUrl: webUrl(s.mobilisationUrl),
      languages: s.languages.map((code) => languageName(code, locale)),
      contactName: s.contactName,
      phone: s.phone ? phoneText(s.phone) : null,
      phoneHref: telHref(s.phone),
      email: s.email,
      ownHours,
      openNow: s.opening.unknown ? null : s.opening.isOpen,
      openingText: s.opening.text[locale],
      week: ownHours ? weekOf(s.openingHours, now, overridesOf(detail.notices, s.id)) : null
    };
  });

  const city = detail.city ?? '';
  const summarySource =
    detail.description?.trim() ||
    [...new Set(placeServices.flatMap((s) => s.categories))].join(', ') ||
    placeServices.map((s) => s.name).join(', ');
  const summary = summarySource.length > 160 ? `${summarySource.slice(0, 157).trimEnd()}…` : summarySource;
  const hasPoint = detail.lat !== null && detail.lng !== null;

  return {
    canonical: `${services.config.PUBLIC_URL}/lieux/${encodeURIComponent(detail.slug)}`,
    /** Members of the place's organisation see a link to its editing page. */
    canEdit: detail.permissions?.canEdit ?? false,
    description: translate(locale, 'place.metaDescription', { name: detail.name, city, summary }).replace(/\s+,/, ',').trim(),
    tileUrl: services.config.TILE_URL,
    today,
    place: {
      id: detail.id,
      slug: detail.slug,
      name: detail.name,
      description: detail.description,
      organisation: detail.organisation.name,
      addressLine: detail.addressLine,
      addressComplement: detail.addressComplement,
      postalCode: detail.postalCode,
      city: detail.city,
      lat: detail.lat,
      lng: detail.lng,
      routeHref: hasPoint ? `https://www.openstreetmap.org/directions?to=${detail.lat}%2C${detail.lng}` : null,
      geoHref: hasPoint ? `geo:${detail.lat},${detail.lng}` : null,
      phone: detail.phone ? phoneText(detail.phone) : null,
      phoneHref: telHref(detail.phone),
      email: detail.email,
      website: webUrl(detail.website),
      accessibilityUrl: webUrl(detail.accessibilityUrl),
      isAccessible: detail.isAccessible,
      languages: detail.languages.map((code) => languageName(code, locale)),
      saturation: detail.saturation ? translate(locale, `vocab.saturation.${detail.saturation}` as MessageKey) : null,
      isMobile: detail.isMobile,
      isStale: detail.isStale,
      verifiedOn: detail.verifiedAt ? formatParis(locale, 'longDate', detail.verifiedAt) : null,
      openNow: detail.opening.unknown ? null : detail.opening.isOpen,
      openingText: detail.opening.text[locale],
      hasHours: detail.openingHours !== null,
      week: weekOf(detail.openingHours, now, overridesOf(detail.notices, null))
    },
    notices,
    services: placeServices,
    stops: detail.stops.map((s) => ({
      id: s.id,
      name: s.name,
      address: [s.addressLine, [s.postalCode, s.city].filter(Boolean).join(' ')].filter(Boolean).join(', '),
      hours: s.openingHours,
      /** "Du … au …", or null all year round. */
      dates: stopDatesText(s, locale),
      /** Past stops reach this page only for those who may edit them (the presenter hides them from everyone else). */
      period: s.period
    })),
    /** Thumbnails (sized, so the page does not jump as they load) linking to the large images. */
    photos: detail.photos.map((p) => ({ id: p.id, alt: p.alt, url: p.url, thumb: p.thumb }))
  };
};
