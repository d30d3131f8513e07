import { LANGUAGES } from '$lib/schemas/directory-vocabulary';
import { PLACE_SECTIONS, type PlaceSection } from '$lib/schemas/directory';
import { parisDateKey } from '$lib/server/modules/directory/hours.rules';
import { languageName } from '../../../annuaire/view.server';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { stringField } from '$lib/web/forms.server';
import { takeCreationWarnings } from './created-warnings';
import { failForm, loadEditable, nullableText, saturationOptions, sectionInput, warningTexts } from './edit.server';
import { changeStops, stopsVersionOf, storedStops } from './form-input';
import { stopDatesText } from '../stops';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/lieux/{slug}/modifier`: the partner's editing page of a place, one form per section (each
 * posts its own action and saves its own revision), temporary notices, the list of services and
 * "nothing changed". Members of the organisation only (403 otherwise); what each may change comes
 * from the place's `permissions`.
 */
export const load: PageServerLoad = async (event) => {
  const { detail, actor } = await loadEditable(event);
  const locale = event.locals.locale;
  const today = parisDateKey(servicesOf(event).now());
  return {
    today,
    created: event.url.searchParams.has('cree'),
    /** Corrections of the hours typed when the place was created (read once from a cookie of this page). */
    createdWarnings: takeCreationWarnings(event.cookies, detail.slug, actor.userId),
    stopRemoved: event.url.searchParams.has('arret-supprime'),
    place: {
      id: detail.id,
      slug: detail.slug,
      name: detail.name,
      description: detail.description,
      organisation: detail.organisation,
      addressLine: detail.addressLine,
      addressComplement: detail.addressComplement,
      postalCode: detail.postalCode,
      city: detail.city,
      inseeCode: detail.inseeCode,
      lat: detail.lat,
      lng: detail.lng,
      phone: detail.phone,
      email: detail.email,
      website: detail.website,
      isAccessible: detail.isAccessible,
      accessibilityUrl: detail.accessibilityUrl,
      languages: detail.languages,
      openingHours: detail.openingHours,
      saturation: detail.saturation,
      verifiedAt: detail.verifiedAt,
      isStale: detail.isStale
    },
    permissions: detail.permissions!,
    notices: detail.notices.map((n) => ({
      id: n.id,
      kind: n.kind,
      startsOn: n.startsOn,
      endsOn: n.endsOn,
      openingHours: n.openingHours,
      message: n.message,
      service: n.serviceId ? (detail.services.find((s) => s.id === n.serviceId)?.name ?? null) : null
    })),
    services: detail.services.map((s) => ({ id: s.id, name: s.name, description: s.description })),
    isMobile: detail.isMobile,
    /** Sent back with each change of the stops (optimistic concurrency). */
    stopsVersion: detail.stopsVersion,
    stops: detail.stops.map((s) => ({
      id: s.id,
      name: s.name,
      address: [s.addressLine, [s.postalCode, s.city].filter(Boolean).join(' ')].filter(Boolean).join(', '),
      openingHours: s.openingHours,
      dates: stopDatesText(s, locale),
      period: s.period
    })),
    serviceChoices: detail.services.map((s) => ({ value: s.id, label: s.name })),
    languageOptions: LANGUAGES.map((code) => ({ value: code, label: languageName(code, locale) })),
    saturationOptions: saturationOptions(locale)
  };
};

/** Saves one section of the place; answers which section was saved and its warnings. */
function sectionAction(section: PlaceSection) {
  return async (event: Parameters<Actions[string]>[0]) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await loadEditable(event);
    try {
      const result = await services.directory.updatePlaceSection(actor, detail.id, section, sectionInput(section, data));
      return { done: section, warnings: warningTexts(event.locals.locale, result.warnings) };
    } catch (err) {
      return failForm(err, data, section);
    }
  };
}

export const actions: Actions = {
  ...(Object.fromEntries(PLACE_SECTIONS.map((s) => [s, sectionAction(s)])) as Record<PlaceSection, ReturnType<typeof sectionAction>>),

  /** "Rien n'a changé": the organisation confirms the place as it is. */
  verify: async (event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await loadEditable(event);
    try {
      await services.directory.verifyPlace(actor, detail.id);
    } catch (err) {
      return failForm(err, data, 'verify');
    }
    return { done: 'verify' as const, warnings: [] as string[] };
  },

  /** Adds a temporary closure or temporary hours. */
  addNotice: async (event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await loadEditable(event);
    try {
      const kind = stringField(data, 'kind');
      await services.directory.addNotice(actor, detail.id, {
        kind,
        startsOn: stringField(data, 'startsOn'),
        endsOn: stringField(data, 'endsOn'),
        ...(kind === 'hours' || nullableText(data, 'noticeHours') ? { openingHours: nullableText(data, 'noticeHours') ?? undefined } : {}),
        ...(nullableText(data, 'message') ? { message: nullableText(data, 'message') } : {}),
        ...(nullableText(data, 'serviceId') ? { serviceId: nullableText(data, 'serviceId') } : {})
      });
    } catch (err) {
      return failForm(err, data, 'notices', { openingHours: 'noticeHours' });
    }
    return { done: 'noticeAdded' as const, warnings: [] as string[] };
  },

  /** Moves a stop of a mobile place one step up or down the round (on the version of the list shown). */
  moveStop: async (event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await loadEditable(event);
    const change = changeStops(storedStops(detail.stops), {
      kind: 'move',
      id: stringField(data, 'stopId'),
      by: stringField(data, 'by') === '-1' ? -1 : 1
    });
    try {
      // A stop removed meanwhile: the list as it is, on the version read (a 409 unless nothing changed).
      await services.directory.setStops(actor, detail.id, {
        version: stopsVersionOf(data),
        stops: (change ?? { stops: storedStops(detail.stops) }).stops
      });
    } catch (err) {
      return failForm(err, data, 'stops');
    }
    return { done: 'stopMoved' as const, warnings: [] as string[] };
  },

  /** Removes a temporary notice. */
  removeNotice: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      await servicesOf(event).directory.removeNotice(actor, stringField(data, 'noticeId'));
    } catch (err) {
      return failForm(err, data, 'notices');
    }
    return { done: 'noticeRemoved' as const, warnings: [] as string[] };
  }
};
