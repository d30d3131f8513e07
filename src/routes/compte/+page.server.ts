import { redirect } from '@sveltejs/kit';
import { LOCALE_COOKIE } from '$lib/i18n/locale';
import { accountUpdateInput, emailVerificationInput } from '$lib/schemas/accounts';
import { clearSessionCookie, requestContext, requireUser, servicesOf } from '$lib/web/auth.server';
import { failWith, parseInput, stringField } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const services = servicesOf(event);
  const account = await services.accounts.getAccount(user.id);
  return { account, welcome: event.url.searchParams.has('bienvenue'), verified: event.url.searchParams.has('verifie') };
};

export const actions: Actions = {
  /** Display name and interface language; the language cookie follows so the change shows at once. */
  profile: async (event) => {
    const user = requireUser(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    try {
      const input = parseInput(accountUpdateInput, {
        displayName: stringField(data, 'displayName'),
        locale: stringField(data, 'locale')
      });
      const account = await services.accounts.updateAccount(user.id, input);
      event.cookies.set(LOCALE_COOKIE, account.locale, { path: '/', maxAge: 365 * 24 * 60 * 60, sameSite: 'lax', httpOnly: false });
    } catch (err) {
      return failWith(err, data, { form: 'profile' });
    }
    return { done: 'profile' as const };
  },

  /** Sends a new email-verification code. */
  sendCode: async (event) => {
    const user = requireUser(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    try {
      await services.accounts.requestEmailVerification(user.id, requestContext(event));
    } catch (err) {
      return failWith(err, data, { form: 'verify' });
    }
    return { done: 'codeSent' as const };
  },

  /** Confirms the email address with the code. */
  verify: async (event) => {
    const user = requireUser(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    try {
      const input = parseInput(emailVerificationInput, { email: user.email ?? '', code: stringField(data, 'code') });
      await services.accounts.verifyEmail(input, requestContext(event));
    } catch (err) {
      return failWith(err, data, { form: 'verify' });
    }
    return { done: 'verified' as const };
  },

  /** Ends this session. */
  signOut: async (event) => {
    const services = servicesOf(event);
    if (event.locals.sessionId) await services.accounts.signOut(event.locals.sessionId);
    clearSessionCookie(event.cookies);
    redirect(303, '/connexion?deconnecte=1');
  },

  /** Ends every session of the account, on every device. */
  signOutEverywhere: async (event) => {
    const user = requireUser(event);
    const services = servicesOf(event);
    await services.accounts.signOutEverywhere(user.id);
    clearSessionCookie(event.cookies);
    redirect(303, '/connexion?deconnecte=1');
  }
};
