import { error, redirect } from '@sveltejs/kit';
import { failForm, loadEditable, serviceInput, serviceVocabulary, warningTexts } from '../../edit.server';
import type { Actions, PageServerLoad } from './$types';

/** `/lieux/{slug}/modifier/services/{id}`: edits or deletes one service (owners, managers, admins). */
export const load: PageServerLoad = async (event) => {
  const { detail } = await loadEditable(event);
  if (!detail.permissions?.canManageServices) error(403, 'Forbidden');
  const s = detail.services.find((x) => x.id === event.params.serviceId);
  if (!s) error(404, 'Not found');
  const food = (s.food ?? {}) as { products?: string[]; diets?: string[]; delivery?: string[] };
  return {
    place: { slug: detail.slug, name: detail.name },
    service: {
      id: s.id,
      name: s.name,
      description: s.description,
      type: s.type,
      categories: s.categories,
      publics: s.publics,
      publicsDetails: s.publicsDetails,
      access: s.access,
      modalities: s.modalities,
      modalitiesDetails: s.modalitiesDetails,
      frais: s.frais,
      fraisDetails: s.fraisDetails,
      food: { products: food.products ?? [], diets: food.diets ?? [], delivery: food.delivery ?? [] },
      openingHours: s.openingHours,
      contactName: s.contactName,
      phone: s.phone,
      email: s.email
    },
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
      return failForm(err, data, 'service');
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
