import { redirect } from '@sveltejs/kit';
import { CODE_TTL_MS } from '$lib/server/modules/accounts/accounts.rules';
import { codeVerifyInput } from '$lib/schemas/accounts';
import { afterSignIn, requestContext, servicesOf, setSessionCookie } from '$lib/web/auth.server';
import { failWith, parseInput, stringField } from '$lib/web/forms.server';
import { forgetCodeDestination, readCodeDestination } from '../code-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, cookies }) => {
  if (locals.user) redirect(303, afterSignIn(url));
  return { sentTo: readCodeDestination(cookies), codeMinutes: Math.round(CODE_TTL_MS / 60000) };
};

export const actions: Actions = {
  /** Signs in with the code received by email or SMS. */
  default: async (event) => {
    const services = servicesOf(event);
    const data = await event.request.formData();
    const remembered = readCodeDestination(event.cookies);
    try {
      const input = parseInput(codeVerifyInput, {
        channel: remembered?.channel ?? (stringField(data, 'channel') || 'email'),
        destination: remembered?.destination ?? stringField(data, 'destination'),
        code: stringField(data, 'code')
      });
      const { token } = await services.accounts.verifySignInCode(input, requestContext(event));
      setSessionCookie(event.cookies, services, token);
    } catch (err) {
      return failWith(err, data);
    }
    forgetCodeDestination(event.cookies);
    redirect(303, afterSignIn(event.url));
  }
};
