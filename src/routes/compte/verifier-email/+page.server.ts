import { redirect } from '@sveltejs/kit';
import { emailVerificationInput } from '$lib/schemas/accounts';
import { requestContext, servicesOf } from '$lib/web/auth.server';
import { failWith, parseInput, stringField } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * The verification link in emails lands here. Opening it does not verify (mail scanners open
 * links): the page shows the code filled in and the person confirms with a button.
 */
export const load: PageServerLoad = ({ url }) => ({
  email: url.searchParams.get('email') ?? '',
  code: url.searchParams.get('code') ?? ''
});

export const actions: Actions = {
  default: async (event) => {
    const services = servicesOf(event);
    const data = await event.request.formData();
    try {
      const input = parseInput(emailVerificationInput, { email: stringField(data, 'email'), code: stringField(data, 'code') });
      await services.accounts.verifyEmail(input, requestContext(event));
    } catch (err) {
      return failWith(err, data);
    }
    redirect(303, event.locals.user ? '/compte?verifie=1' : '/connexion');
  }
};
