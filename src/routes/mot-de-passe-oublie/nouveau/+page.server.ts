import { redirect } from '@sveltejs/kit';
import { passwordResetCompleteInput } from '$lib/schemas/accounts';
import { clearSessionCookie, requestContext, servicesOf } from '$lib/web/auth.server';
import { failWith, parseInput, stringField } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({
  email: url.searchParams.get('email') ?? '',
  code: url.searchParams.get('code') ?? '',
  sent: url.searchParams.has('envoye')
});

export const actions: Actions = {
  /** Sets the new password with the emailed code; every session ends, so the user signs in again. */
  default: async (event) => {
    const services = servicesOf(event);
    const data = await event.request.formData();
    try {
      const input = parseInput(passwordResetCompleteInput, {
        email: stringField(data, 'email'),
        code: stringField(data, 'code'),
        password: stringField(data, 'password')
      });
      await services.accounts.completePasswordReset(input, requestContext(event));
    } catch (err) {
      return failWith(err, data);
    }
    clearSessionCookie(event.cookies);
    redirect(303, '/connexion?reinitialise=1');
  }
};
