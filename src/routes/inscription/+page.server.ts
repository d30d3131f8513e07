import { redirect } from '@sveltejs/kit';
import { isLocale } from '$lib/i18n/locale';
import { signUpInput } from '$lib/schemas/accounts';
import { afterSignIn, requestContext, servicesOf, setSessionCookie } from '$lib/web/auth.server';
import { failWith, optionalString, parseInput, stringField } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, afterSignIn(url));
};

export const actions: Actions = {
  /** Sign-up: creates the account and its session, then goes on (to `?redirect=` or the account page). */
  default: async (event) => {
    const services = servicesOf(event);
    const data = await event.request.formData();
    const locale = stringField(data, 'locale');
    try {
      const input = parseInput(signUpInput, {
        displayName: stringField(data, 'displayName'),
        email: stringField(data, 'email'),
        password: stringField(data, 'password'),
        locale: isLocale(locale) ? locale : event.locals.locale,
        phone: optionalString(data, 'phone')
      });
      const { token } = await services.accounts.signUp(input, requestContext(event));
      setSessionCookie(event.cookies, services, token);
    } catch (err) {
      return failWith(err, data, { fieldOnConflict: 'email' });
    }
    redirect(303, afterSignIn(event.url, '/compte?bienvenue=1'));
  }
};
