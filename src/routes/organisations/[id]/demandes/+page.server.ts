import { error } from '@sveltejs/kit';
import { REQUEST_STATUSES, type RequestStatus } from '$lib/schemas/eligibility-vocabulary';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 20;

export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  const wanted = event.url.searchParams.get('statut') ?? 'submitted';
  const status: RequestStatus = (REQUEST_STATUSES as readonly string[]).includes(wanted) ? (wanted as RequestStatus) : 'submitted';
  const page = Math.max(1, Math.min(5000, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1));
  try {
    const [organisation, queue, options] = await Promise.all([
      services.organisations.getOrganisation(actor, event.params.id),
      services.eligibility.listQueue(actor, event.params.id, { status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      services.eligibility.requestOptions()
    ]);
    return {
      organisation: { id: organisation.id, name: organisation.name },
      queue,
      page,
      pages: Math.max(1, Math.ceil(queue.total / PAGE_SIZE)),
      schemes: options.schemes
    };
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    if (isAppErrorLike(err) && err.code === 'forbidden') error(403, 'Forbidden');
    throw err;
  }
};
