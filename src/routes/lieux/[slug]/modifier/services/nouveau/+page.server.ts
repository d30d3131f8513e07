import { error } from '@sveltejs/kit';
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

/** `/lieux/{slug}/modifier/services/nouveau`: adds a service to the place (owners, managers, admins). */
export const load: PageServerLoad = async (event) => {
  const { detail } = await loadEditable(event);
  if (!detail.permissions?.canManageServices) error(403, 'Forbidden');
  return {
    place: { slug: detail.slug, name: detail.name },
    service: serviceFormValues(),
    vocabulary: serviceVocabulary(event.locals.locale)
  };
};

export const actions: Actions = {
  /** Creates the service; answers its id and warnings (the page links to it). */
  create: async (event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await loadEditable(event);
    try {
      const result = await services.directory.createService(actor, detail.id, serviceInput(data, 'create'));
      return {
        done: 'created' as const,
        serviceId: result.service.id,
        name: result.service.name,
        warnings: warningTexts(event.locals.locale, result.warnings)
      };
    } catch (err) {
      return failForm(err, data, 'service', serviceFieldPath, SERVICE_LIST_FIELDS);
    }
  }
};
