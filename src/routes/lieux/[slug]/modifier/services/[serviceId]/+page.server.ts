import { error, redirect } from '@sveltejs/kit';
import {
  failForm,
  loadEditable,
  SERVICE_LIST_FIELDS,
  serviceFieldPath,
  serviceFormValues,
  serviceInput,
  serviceVocabulary,
  warningTexts
} from '../../edit.server';
import type { Actions, PageServerLoad } from './$types';

/** `/lieux/{slug}/modifier/services/{id}`: edits or deletes one service (owners, managers, admins). */
export const load: PageServerLoad = async (event) => {
  const { detail } = await loadEditable(event);
  if (!detail.permissions?.canManageServices) error(403, 'Forbidden');
  const s = detail.services.find((x) => x.id === event.params.serviceId);
  if (!s) error(404, 'Not found');
  return {
    place: { slug: detail.slug, name: detail.name },
    service: { id: s.id, ...serviceFormValues(s) },
    vocabulary: serviceVocabulary(event.locals.locale)
  };
};

export const actions: Actions = {
  /** Saves the whole service form; answers its warnings. */
  save: async (event) => {
    const data = await event.request.formData();
    const { services, actor } = await loadEditable(event);
    try {
      const result = await services.directory.updateService(actor, event.params.serviceId, serviceInput(data, 'update'));
      return { done: 'saved' as const, warnings: warningTexts(event.locals.locale, result.warnings) };
    } catch (err) {
      return failForm(err, data, 'service', serviceFieldPath, SERVICE_LIST_FIELDS);
    }
  },

  /** Deletes the service and goes back to the place's editing page. */
  delete: async (event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await loadEditable(event);
    try {
      await services.directory.deleteService(actor, event.params.serviceId);
    } catch (err) {
      return failForm(err, data, 'delete');
    }
    redirect(303, `/lieux/${encodeURIComponent(detail.slug)}/modifier?service-supprime`);
  }
};
