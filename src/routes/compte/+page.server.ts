import { fail, redirect } from '@sveltejs/kit';
import { LOCALE_COOKIE } from '$lib/i18n/locale';
import { accountOverview } from '$lib/server/modules/accounts/account-overview';
import { CODE_TTL_MS } from '$lib/server/modules/accounts/accounts.rules';
import { accountUpdateInput, emailAddInput, emailVerificationInput } from '$lib/schemas/accounts';
import { actorOf, clearSessionCookie, requestContext, requireUser, servicesOf } from '$lib/web/auth.server';
import { failWith, keptValues, parseInput, stringField } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  // The same overview as GET /api/v1/account; an account never confirmed says until when it is kept.
  const { user: account, confirmBefore, permissions } = await accountOverview(servicesOf(event), actorOf(event));
  return {
    account,
    confirmBefore,
    codeMinutes: Math.round(CODE_TTL_MS / 60000),
    ...permissions,
    welcome: event.url.searchParams.has('bienvenue'),
    verified: event.url.searchParams.has('verifie')
  };
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

  /**
   * Asks to add an email address to an account without one (signed up by phone). The answer is the
   * same whether the address can be used or another account holds it: the code form comes back with
   * the address in it, and the address joins the account only once its code is entered.
   */
  addEmail: async (event) => {
    const user = requireUser(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    try {
      const input = parseInput(emailAddInput, { email: stringField(data, 'email') });
      await services.accounts.addEmail(user.id, input, requestContext(event));
      return { done: 'emailAddSent' as const, pendingEmail: input.email };
    } catch (err) {
      return failWith(err, data, { form: 'addEmail' });
    }
  },

  /** Confirms the account's email address, or the one being added (sent back by the form), with the code. */
  verify: async (event) => {
    const user = requireUser(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    try {
      const email = user.email ?? stringField(data, 'email');
      const input = parseInput(emailVerificationInput, { email, code: stringField(data, 'code') });
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

  /**
   * Erases the account with its eligibility data, after an explicit confirmation; the page after
   * says what is kept (the audit log, without personal data) and why.
   */
  erase: async (event) => {
    const user = requireUser(event);
    const services = servicesOf(event);
    const data = await event.request.formData();
    if (data.get('confirm') !== 'on') {
      return fail(400, {
        form: 'erase',
        code: 'validation_failed',
        fields: { confirm: { key: 'account.confirmRequired' as const } },
        values: keptValues(data)
      });
    }
    try {
      await services.accounts.deleteAccount(user.id, requestContext(event));
    } catch (err) {
      return failWith(err, data, { form: 'erase' });
    }
    clearSessionCookie(event.cookies);
    redirect(303, '/compte/supprime');
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
