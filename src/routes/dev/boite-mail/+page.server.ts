import { error } from '@sveltejs/kit';
import { servicesOf } from '$lib/web/auth.server';
import type { PageServerLoad } from './$types';

/** The development mailbox: what would have been sent. 404 unless DEV_MAILBOX is on. */
export const load: PageServerLoad = async (event) => {
  const services = servicesOf(event);
  if (!services.config.DEV_MAILBOX) error(404, 'Not found');
  event.setHeaders({ 'cache-control': 'no-store' });
  return { messages: await services.notify.listCaptured({ limit: 50 }) };
};
