import { error, fail, redirect } from '@sveltejs/kit';
import { actorOf, optionalActor, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import { rememberCreationWarnings } from '../../../lieux/[slug]/modifier/created-warnings';
import { failForm, nullableNumber, nullableText, placeFormValues, warningTexts } from '../../../lieux/[slug]/modifier/edit.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/organisations/{id}/lieux`: the places of an organisation, with a link to edit each for its
 * members, and the "add a place" form for owners and managers. A similar place nearby must be
 * confirmed (the service answers `conflict` with the candidates; the form is replayed with
 * `confirmDuplicate`).
 */
export const load: PageServerLoad = async (event) => {
  const services = servicesOf(event);
  const actor = optionalActor(event);
  try {
    const organisation = await services.organisations.getOrganisation(actor, event.params.id);
    const places = await services.directory.listOrganisationPlaces(organisation.id);
    const isMember = organisation.myRole !== null && organisation.myRole !== undefined;
    return {
      organisation: { id: organisation.id, name: organisation.name },
      canEdit: isMember || (actor?.isPlatformAdmin ?? false),
      canCreate: organisation.permissions.canUpdate,
      places: places.map((p) => ({
        id: p.id,
        slug: p.slug,
        name: p.name,
        address: [p.addressLine, [p.postalCode, p.city].filter(Boolean).join(' ')].filter(Boolean).join(', '),
        openingText: p.opening.text[event.locals.locale],
        isStale: p.isStale
      }))
    };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    throw err;
  }
};

interface Duplicate {
  id: string;
  slug: string;
  name: string;
  distanceKm: number | null;
}

export const actions: Actions = {
  /** Creates a place, or answers the similar places nearby to confirm first. */
  create: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    const text = (name: string) => nullableText(data, name) ?? undefined;
    const input = {
      organisationId: event.params.id,
      name: nullableText(data, 'name') ?? '',
      description: text('description'),
      addressLine: text('addressLine'),
      postalCode: nullableText(data, 'postalCode') ?? '',
      city: nullableText(data, 'city') ?? '',
      lat: nullableNumber(data, 'lat') ?? undefined,
      lng: nullableNumber(data, 'lng') ?? undefined,
      phone: text('phone'),
      openingHours: text('openingHours'),
      confirmDuplicate: data.get('confirmDuplicate') === 'true' ? true : undefined
    };
    const services = servicesOf(event);
    let slug: string;
    try {
      const result = await services.directory.createPlace(actor, input);
      slug = result.place.slug;
      // The editing page shows the corrections of the hours once (they would be lost in the redirect).
      const warnings = warningTexts(event.locals.locale, result.warnings);
      rememberCreationWarnings(event.cookies, slug, actor.userId, warnings, services.config.isHttps);
    } catch (err) {
      if (isAppErrorLike(err) && err.code === 'conflict' && Array.isArray(err.details?.duplicates)) {
        const duplicates = (err.details.duplicates as Duplicate[]).map((d) => ({ slug: d.slug, name: d.name, distanceKm: d.distanceKm }));
        return fail(409, { form: 'create', code: 'conflict', fields: {}, values: placeFormValues(data), duplicates });
      }
      return failForm(err, data, 'create');
    }
    redirect(303, `/lieux/${encodeURIComponent(slug)}/modifier?cree`);
  }
};
