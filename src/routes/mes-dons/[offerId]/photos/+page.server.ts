import { offerPhotosPage } from '$lib/web/offer-photos.server';
import type { Actions, PageServerLoad } from './$types';

/** `/mes-dons/{offerId}/photos`: the photos of a private person's own offer (same form as a donor organisation's). */

const page = offerPhotosPage(() => null);

export const load: PageServerLoad = (event) => page.load(event);

export const actions: Actions = page.actions;
