import { redirect } from '@sveltejs/kit';
import { passwordResetRequestInput } from '$lib/schemas/accounts';
import { requestContext, servicesOf } from '$lib/web/auth.server';
import { failWith, parseInput, stringField } from '$lib/web/forms.server';
import type { Actions } from './$types';

export const actions: Actions = {
  /** Sends a reset code (same answer whether the account exists or not), then asks for it. */
  default: async (event) => {
    const services = servicesOf(event);
    const data = await event.request.formData();
    let email: string;
    try {
      const input = parseInput(passwordResetRequestInput, { email: stringField(data, 'email') });
      await services.accounts.requestPasswordReset(input, requestContext(event));
      email = input.email;
    } catch (err) {
      return failWith(err, data);
    }
    redirect(303, `/mot-de-passe-oublie/nouveau?${new URLSearchParams({ email, envoye: '1' })}`);
  }
};
