import { offerPhotosPage } from '$lib/web/offer-photos.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/organisations/{id}/dons/{offerId}/photos`: the photos of one offer for its donor (any member of
 * the donor organisation): add (multipart, works without JavaScript), describe, reorder, remove.
 * The first photo is the feed's thumbnail. The offer photos service checks the policy.
 */

const page = offerPhotosPage((params) => params.id ?? '');

export const load: PageServerLoad = async (event) => ({ organisationId: event.params.id, ...(await page.load(event)) });

export const actions: Actions = page.actions;
