import { fail } from '@sveltejs/kit';
import type { FieldMessage } from '$lib/i18n/fields';
import { PROFILES } from '$lib/schemas/eligibility-vocabulary';
import { optionalActor, requestContext, servicesOf } from '$lib/web/auth.server';
import { failWith, isAppErrorLike, keptValues } from '$lib/web/forms.server';
import type { FormFailure } from '$lib/web/forms';
import { parseSimulatorForm, simulatorFieldError } from './simulator-form';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/aide`: the public simulator. Anyone, no account: the household and its resources are evaluated
 * against the territory's active schemes, with every reason of no and where to apply. Works without
 * JavaScript (a plain form action); nothing typed is stored (the service keeps no trace of it).
 */
export const load: PageServerLoad = async (event) => {
  const services = servicesOf(event);
  const actor = optionalActor(event);
  const [schemes, communes, permissions] = await Promise.all([
    services.schemes.listSchemes(null),
    services.schemes.listCommunes(),
    services.schemes.permissions(actor)
  ]);
  return { schemes, communes, profiles: [...PROFILES], canManageSchemes: permissions.canManageSchemes, signedIn: actor !== null };
};

export const actions: Actions = {
  /** Evaluates the form and answers the result beside the values typed (so the form stays filled). */
  default: async (event) => {
    const data = await event.request.formData();
    const values = keptValues(data);
    const { input, errors } = parseSimulatorForm(data);
    if (Object.keys(errors).length > 0) {
      return fail(400, { code: 'validation_failed', fields: errors, values } satisfies FormFailure);
    }
    try {
      const result = await servicesOf(event).schemes.simulate(input, { ip: requestContext(event).ip });
      return { result, values };
    } catch (err) {
      if (isAppErrorLike(err) && err.code === 'validation_failed') {
        const fields: Record<string, FieldMessage> = {};
        for (const issue of err.details?.fields ?? []) {
          const [field, message] = simulatorFieldError(issue);
          fields[field] ??= message;
        }
        return fail(400, { code: 'validation_failed', fields, values } satisfies FormFailure);
      }
      return failWith(err, data);
    }
  }
};
