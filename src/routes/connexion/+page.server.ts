import { redirect } from '@sveltejs/kit';
import { CODE_TTL_MS } from '$lib/server/modules/accounts/accounts.rules';
import { codeRequestInput, signInInput } from '$lib/schemas/accounts';
import { afterSignIn, requestContext, servicesOf, setSessionCookie } from '$lib/web/auth.server';
import { failWith, parseInput, stringField } from '$lib/web/forms.server';
import { rememberCodeDestination } from './code-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, afterSignIn(url));
  return { codeMinutes: Math.round(CODE_TTL_MS / 60000) };
};

/** Keeps `?redirect=` across the code page. */
function withRedirect(path: string, url: URL): string {
  const back = url.searchParams.get('redirect');
  return back ? `${path}?redirect=${encodeURIComponent(back)}` : path;
}

export const actions: Actions = {
  /** Sign-in by email and password. */
  password: async (event) => {
    const services = servicesOf(event);
    const data = await event.request.formData();
    try {
      const input = parseInput(signInInput, { email: stringField(data, 'email'), password: stringField(data, 'password') });
      const { token } = await services.accounts.signIn(input, requestContext(event));
      setSessionCookie(event.cookies, services, token);
    } catch (err) {
      return failWith(err, data, { form: 'password' });
    }
    redirect(303, afterSignIn(event.url));
  },

  /** Asks for a one-time code by email or SMS, then goes to the page where it is typed. */
  code: async (event) => {
    const services = servicesOf(event);
    const data = await event.request.formData();
    let channel: string;
    let destination: string;
    try {
      const input = parseInput(codeRequestInput, {
        channel: stringField(data, 'channel') || 'email',
        destination: stringField(data, 'destination')
      });
      await services.accounts.requestSignInCode(input, requestContext(event));
      channel = input.channel;
      destination = input.destination;
    } catch (err) {
      return failWith(err, data, { form: 'code' });
    }
    rememberCodeDestination(event.cookies, channel, destination, services.config.isHttps);
    redirect(303, withRedirect('/connexion/code', event.url));
  }
};
