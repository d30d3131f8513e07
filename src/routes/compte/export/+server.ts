import { actorOf, servicesOf } from '$lib/web/auth.server';
import type { RequestHandler } from './$types';

/** "Exporter mes données": everything Glane keeps about the signed-in person, as a JSON download. */
export const GET: RequestHandler = async (event) => {
  const services = servicesOf(event);
  const data = await services.people.exportMyData(actorOf(event));
  const day = services.now().toISOString().slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="glane-donnees-${day}.json"`,
      'Cache-Control': 'private, no-store'
    }
  });
};
