import { fail, type ActionFailure } from '@sveltejs/kit';
import type { FieldMessage } from '$lib/i18n/fields';
import type { FormFailure } from '$lib/web/forms';
import { failWith, isAppErrorLike, keptValues } from '$lib/web/forms.server';

/** The values typed, a box group (several values under one name) joined by commas. */
export function formValues(data: FormData): Record<string, string> {
  const values = keptValues(data);
  for (const key of new Set(data.keys())) {
    const all = data.getAll(key).filter((v): v is string => typeof v === 'string');
    if (all.length > 1) values[key] = all.join(',');
  }
  return values;
}

type Mapper = (issue: { path: string; code?: string; message: string }, conflict: boolean) => [string, FieldMessage];

/** A failure of the form `form` with messages already chosen by the page (its own parsing). */
export function failFields(data: FormData, fields: Record<string, FieldMessage>, form?: string): ActionFailure<FormFailure> {
  return fail(400, { form, code: 'validation_failed', fields, values: formValues(data) });
}

/**
 * A service's AppError as a failure of the form `form`, each field problem put on the form's own
 * field by `mapper` (validation and conflicts); anything else as `failWith` does.
 */
export function failMapped(err: unknown, data: FormData, mapper: Mapper, form?: string): ActionFailure<FormFailure> {
  if (isAppErrorLike(err) && (err.code === 'validation_failed' || err.code === 'conflict') && err.details?.fields?.length) {
    const fields: Record<string, FieldMessage> = {};
    for (const issue of err.details.fields) {
      const [field, message] = mapper(issue, err.code === 'conflict');
      fields[field] ??= message;
    }
    return fail(err.code === 'conflict' ? 409 : 400, { form, code: err.code, fields, values: formValues(data) });
  }
  return failWith(err, data, { form });
}
