import { redirect } from '@sveltejs/kit';
import { clearSessionCookie, servicesOf } from '$lib/web/auth.server';
import type { Actions } from './$types';

export const actions: Actions = {
  /** Sign out: a POST (a link must not sign anyone out), then back to the sign-in page. */
  default: async (event) => {
    const services = servicesOf(event);
    if (event.locals.sessionId) await services.accounts.signOut(event.locals.sessionId);
    clearSessionCookie(event.cookies);
    redirect(303, '/connexion?deconnecte=1');
  }
};
