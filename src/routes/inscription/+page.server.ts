import { redirect, type RequestEvent } from '@sveltejs/kit';
import { isLocale } from '$lib/i18n/locale';
import { signUpWithEmailInput, signUpWithPhoneInput } from '$lib/schemas/accounts';
import { afterSignIn, requestContext, servicesOf } from '$lib/web/auth.server';
import { failWith, optionalString, parseInput, stringField } from '$lib/web/forms.server';
import { rememberCodeDestination } from '../connexion/code-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  if (event.locals.user) redirect(303, afterSignIn(event.url));
  /** Sign-up by phone needs SMS (or the dev mailbox); without it the page says so instead of a form that fails. */
  return { canSendSms: servicesOf(event).notify.canSend('sms') };
};

/** The language chosen in the form, else the page's. */
function chosenLocale(data: FormData, fallback: App.Locals['locale']) {
  const locale = stringField(data, 'locale');
  return isLocale(locale) ? locale : fallback;
}

export const actions: Actions = {
  /**
   * Sign-up by email and password: a code goes out by email (to open a new account; when the
   * address already has one, its holder is told instead: the page after says the same either way),
   * and the code page opens the account and signs the person in.
   */
  email: async (event) => {
    const services = servicesOf(event);
    const data = await event.request.formData();
    let email: string;
    try {
      const input = parseInput(signUpWithEmailInput, {
        displayName: stringField(data, 'displayName'),
        email: stringField(data, 'email'),
        password: stringField(data, 'password'),
        locale: chosenLocale(data, event.locals.locale),
        phone: optionalString(data, 'phone')
      });
      await services.accounts.signUp(input, requestContext(event));
      email = input.email;
    } catch (err) {
      return failWith(err, data, { form: 'email' });
    }
    codePage(event, 'email', email, afterSignIn(event.url, '/compte?bienvenue=1'));
  },

  /**
   * Sign-up by phone alone: a code goes out by SMS (a sign-in code when the number already has an
   * account: the page after says the same either way), and the code page signs the person in.
   */
  phone: async (event) => {
    const services = servicesOf(event);
    const data = await event.request.formData();
    let phone: string;
    try {
      const input = parseInput(signUpWithPhoneInput, {
        displayName: stringField(data, 'displayName'),
        phone: stringField(data, 'phone'),
        locale: chosenLocale(data, event.locals.locale)
      });
      await services.accounts.signUpByPhone(input, requestContext(event));
      phone = input.phone;
    } catch (err) {
      return failWith(err, data, { form: 'phone' });
    }
    codePage(event, 'sms', phone, event.url.searchParams.get('redirect'));
  }
};

/** Remembers where the code went and goes to the code page, which then leads to `next`. */
function codePage(event: RequestEvent, channel: 'email' | 'sms', destination: string, next: string | null): never {
  rememberCodeDestination(event.cookies, channel, destination, servicesOf(event).config.isHttps);
  const params = new URLSearchParams({ inscription: '1' });
  if (next) params.set('redirect', next);
  redirect(303, `/connexion/code?${params.toString()}`);
}
