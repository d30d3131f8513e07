import { error, fail, redirect } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { failWith, isAppErrorLike, keptValues, stringField } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

/** 404 for anything the service refuses or a person accompanied by another organisation (no existence leak). */
function notFoundOn(err: unknown): never {
  if (isAppErrorLike(err) && (err.code === 'not_found' || err.code === 'forbidden')) error(404, 'Not found');
  throw err;
}

export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  let person;
  try {
    person = await services.people.getPerson(actor, event.params.userId);
  } catch (err) {
    notFoundOn(err);
  }
  if (person.accompaniment.organisationId !== event.params.id) error(404, 'Not found');
  return {
    organisation: { id: person.accompaniment.organisationId, name: person.accompaniment.organisationName },
    person,
    created: event.url.searchParams.has('cree')
  };
};

export const actions: Actions = {
  /** Issues a card (revoking the active one, if any); the code is shown once here. */
  issue: async (event) => {
    const data = await event.request.formData();
    try {
      const issued = await servicesOf(event).people.issueCard(actorOf(event), event.params.userId);
      return { done: 'issued' as const, code: issued.code };
    } catch (err) {
      return failWith(err, data, { form: 'card' });
    }
  },

  /** Deactivates a card (lost or stolen). */
  revoke: async (event) => {
    const data = await event.request.formData();
    try {
      await servicesOf(event).people.revokeCard(actorOf(event), stringField(data, 'cardId'));
    } catch (err) {
      return failWith(err, data, { form: 'card' });
    }
    return { done: 'revoked' as const };
  },

  /** Erases the account at the person's request, after an explicit confirmation. */
  erase: async (event) => {
    const data = await event.request.formData();
    if (data.get('confirm') !== 'on') {
      return fail(400, {
        form: 'erase',
        code: 'validation_failed',
        fields: { confirm: { key: 'person.confirmRequired' as const } },
        values: keptValues(data)
      });
    }
    try {
      await servicesOf(event).people.erasePerson(actorOf(event), event.params.userId);
    } catch (err) {
      return failWith(err, data, { form: 'erase' });
    }
    redirect(303, `/organisations/${event.params.id}/personnes?efface=1`);
  }
};
