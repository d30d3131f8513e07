import { actorOf, servicesOf } from '$lib/web/auth.server';
import type { PageServerLoad } from './$types';

/** Who read my file: every reading and act by an organisation recorded about me, newest first. */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  return { reads: await servicesOf(event).people.listMyFileReads(actor, 200) };
};
