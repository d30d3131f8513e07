import { error } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import type { RequestHandler } from './$types';

/** The accompanied person's data as a JSON download, for them (accompanying organisation only; audited). */
export const GET: RequestHandler = async (event) => {
  const services = servicesOf(event);
  try {
    const data = await services.people.exportPersonData(actorOf(event), event.params.userId);
    const day = services.now().toISOString().slice(0, 10);
    return new Response(JSON.stringify(data, null, 2), {
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="glane-donnees-${day}.json"`,
        'Cache-Control': 'private, no-store'
      }
    });
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'not_found') error(404, 'Not found');
    throw err;
  }
};
