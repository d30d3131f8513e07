import { error, fail, type RequestEvent } from '@sveltejs/kit';
import type { MessageKey } from '$lib/i18n/fr';
import type { Locale } from '$lib/i18n/locale';
import { hasMessage, translate } from '$lib/i18n/translate';
import { PUBLICS, TYPES_DE_SERVICES } from '$lib/schemas/data-inclusion';
import {
  ACCESS_KINDS,
  CATEGORIES,
  DELIVERY_MODES,
  DIETS,
  MODALITIES,
  PRODUCT_KINDS,
  SATURATION_LEVELS
} from '$lib/schemas/directory-vocabulary';
import type { PlaceDetail } from '$lib/server/modules/directory/directory.presenter';
import type { Services } from '$lib/server/services';
import { actorOf, servicesOf, type PageActor } from '$lib/web/auth.server';
import { failWith, isAppErrorLike, keptValues } from '$lib/web/forms.server';

export { list, nullableNumber, nullableText, sectionInput, serviceInput, triState } from './form-input';

/**
 * Shared pieces of the partner editing pages (`/lieux/{slug}/modifier/**`): loading a place the
 * caller may edit (403 otherwise), turning each section's form into the service's input (blank =
 * cleared), and form failures that keep the hours' own message. Parsing is loose on purpose: the
 * service validates with the shared schemas and names each bad field.
 */

export interface EditContext {
  services: Services;
  actor: PageActor;
  detail: PlaceDetail;
}

/** The place of `/lieux/{slug}/…` for an editor: 404 unknown, 403 when the caller is not of its organisation. */
export async function loadEditable(event: Pick<RequestEvent, 'locals' | 'url' | 'platform' | 'params'>): Promise<EditContext> {
  const actor = actorOf(event);
  const services = servicesOf(event);
  let detail: PlaceDetail;
  try {
    detail = await services.directory.getPublicPlace((event.params as { slug: string }).slug, actor);
  } catch (err) {
    if (isAppErrorLike(err) && (err.code === 'not_found' || err.code === 'validation_failed')) error(404, 'Not found');
    throw err;
  }
  const p = detail.permissions;
  if (!p || !(p.canEdit || p.canVerify || p.canManageNotices || p.canViewRevisions)) error(403, 'Forbidden');
  return { services, actor, detail };
}

/**
 * `failWith`, plus: the hours' own message (the opening_hours package says what is wrong and
 * where) for the HoursBuilder, and field paths renamed to the names used in this form.
 */
export function failForm(err: unknown, data: FormData, form: string, rename: Record<string, string> = {}) {
  const failure = failWith(err, data, { form });
  let hoursError: string | undefined;
  if (isAppErrorLike(err)) {
    const issue = err.details?.fields?.find((f) => f?.path === 'openingHours');
    if (issue && typeof issue.message === 'string') hoursError = issue.message;
  }
  const fields = Object.fromEntries(Object.entries(failure.data.fields).map(([k, v]) => [rename[k] ?? k, v]));
  return fail(failure.status, { ...failure.data, values: placeFormValues(data), fields, hoursError });
}

/** Names that hold no secret although `keptValues` drops them for containing "code". */
const PUBLIC_CODE_FIELDS = ['postalCode', 'inseeCode'];

/** The values typed in a directory form, to refill it: `keptValues` plus the postal and INSEE codes. */
export function placeFormValues(data: FormData): Record<string, string> {
  const values = keptValues(data);
  for (const name of PUBLIC_CODE_FIELDS) {
    const value = data.get(name);
    if (typeof value === 'string') values[name] = value.slice(0, 1000);
  }
  return values;
}

/** Translated warnings of a save (opening hours warnings are already in French; others by code). */
export function warningTexts(locale: Locale, warnings: { code: string; message: string }[]): string[] {
  return warnings.map((w) => {
    const key = `placeEdit.warning.${w.code}`;
    return hasMessage(key) ? translate(locale, key as MessageKey) : w.message;
  });
}

type Option = { value: string; label: string };
const labelled = (locale: Locale, prefix: string, values: readonly string[], fallback: Record<string, string> = {}): Option[] =>
  values.map((value) => {
    const key = `${prefix}.${value}`;
    return { value, label: hasMessage(key) ? translate(locale, key as MessageKey) : (fallback[value] ?? value) };
  });

/** Choices of the service form, translated. */
export function serviceVocabulary(locale: Locale) {
  const publicLabels = Object.fromEntries(PUBLICS.map((p) => [p.value, p.label]));
  return {
    types: TYPES_DE_SERVICES.map((t) => ({ value: t.value, label: t.label })),
    categories: labelled(locale, 'vocab.category', CATEGORIES),
    publics: labelled(locale, 'vocab.public', PUBLICS.map((p) => p.value), publicLabels),
    access: labelled(locale, 'vocab.access', ACCESS_KINDS),
    modalities: labelled(locale, 'vocab.modality', MODALITIES),
    frais: labelled(locale, 'vocab.frais', ['gratuit', 'payant']),
    products: labelled(locale, 'vocab.product', PRODUCT_KINDS),
    diets: labelled(locale, 'vocab.diet', DIETS),
    delivery: labelled(locale, 'vocab.delivery', DELIVERY_MODES)
  };
}

export function saturationOptions(locale: Locale): Option[] {
  return labelled(locale, 'vocab.saturation', SATURATION_LEVELS);
}
