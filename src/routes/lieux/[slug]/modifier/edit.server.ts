import { error, fail, type RequestEvent } from '@sveltejs/kit';
import type { MessageKey } from '$lib/i18n/fr';
import type { Locale } from '$lib/i18n/locale';
import { hasMessage, translate } from '$lib/i18n/all';
import {
  MODES_ACCUEIL_VALUES,
  MODES_MOBILISATION_VALUES,
  PERSONNES_MOBILISATRICES_VALUES,
  PUBLICS,
  THEMATIQUES,
  TYPES_DE_SERVICES
} from '$lib/schemas/data-inclusion';
import {
  ACCESS_KINDS,
  ADMIN_STATUSES,
  CATEGORIES,
  CHOICE_DEGREES,
  DELIVERY_MODES,
  DIETS,
  FAMILY_SITUATIONS,
  GENDERS,
  MODALITIES,
  PRODUCT_KINDS,
  LANGUAGES,
  SATURATION_LEVELS
} from '$lib/schemas/directory-vocabulary';
import type { PlaceDetail, ServiceView } from '$lib/server/modules/directory/directory.presenter';
import type { Services } from '$lib/server/services';
import { actorOf, servicesOf, type PageActor } from '$lib/web/auth.server';
import { failWith, isAppErrorLike, keptValues } from '$lib/web/forms.server';
import { languageName } from '../../../annuaire/view.server';
import { conditionsForForm, type ServiceFormValues } from './form-input';

export { list, nullableNumber, nullableText, sectionInput, serviceInput, triState, type ServiceFormValues } from './form-input';

/** The multi-valued fields of the service form (checkbox groups), replayed as lists after a failed submit. */
export const SERVICE_LIST_FIELDS = [
  'thematiques',
  'categories',
  'publics',
  'conditions.family',
  'modalities',
  'modesAccueil',
  'modesMobilisation',
  'mobilisablePar',
  'food.products',
  'food.diets',
  'food.delivery',
  'languages'
] as const;

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
export function failForm(
  err: unknown,
  data: FormData,
  form: string,
  rename: Record<string, string> | ((path: string) => string) = {},
  listFields: readonly string[] = []
) {
  const renamed = (path: string) => (typeof rename === 'function' ? rename(path) : (rename[path] ?? path));
  const failure = failWith(err, data, { form });
  let hoursError: string | undefined;
  if (isAppErrorLike(err)) {
    const issue = err.details?.fields?.find((f) => typeof f?.path === 'string' && renamed(f.path) === 'openingHours');
    if (issue && typeof issue.message === 'string') hoursError = issue.message;
  }
  const fields: typeof failure.data.fields = {};
  for (const [path, message] of Object.entries(failure.data.fields)) {
    const name = renamed(path);
    if (!fields[name]) fields[name] = message;
  }
  const lists = Object.fromEntries(listFields.map((name) => [name, data.getAll(name).filter((v): v is string => typeof v === 'string')]));
  return fail(failure.status, { ...failure.data, values: placeFormValues(data), fields, hoursError, lists });
}

/**
 * The field of the service form that an API path belongs to: an item of a list
 * (`zoneEligibilite.3`, `food.mealTypes.0`) is reported on the list's own field.
 */
export function serviceFieldPath(path: string): string {
  return path.replace(/(\.\d+)+$/, '');
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

/** The data·inclusion thematiques by field (the part of the value before `--`), in the reference order. */
function thematiqueGroups(locale: Locale): { value: string; label: string; options: Option[] }[] {
  const groups: { value: string; label: string; options: Option[] }[] = [];
  for (const item of THEMATIQUES) {
    const prefix = item.value.split('--')[0]!;
    let group = groups.find((g) => g.value === prefix);
    if (!group) {
      group = { value: prefix, label: labelled(locale, 'vocab.thematiqueGroup', [prefix])[0]!.label, options: [] };
      groups.push(group);
    }
    group.options.push(labelled(locale, 'vocab.thematique', [item.value], { [item.value]: item.label })[0]!);
  }
  return groups;
}

/** Choices of the service form, translated (closed lists of data·inclusion and of the directory). */
export function serviceVocabulary(locale: Locale) {
  const publicLabels = Object.fromEntries(PUBLICS.map((p) => [p.value, p.label]));
  const typeLabels = Object.fromEntries(TYPES_DE_SERVICES.map((p) => [p.value, p.label]));
  return {
    types: labelled(locale, 'vocab.type', TYPES_DE_SERVICES.map((t) => t.value), typeLabels),
    thematiques: thematiqueGroups(locale),
    categories: labelled(locale, 'vocab.category', CATEGORIES),
    publics: labelled(locale, 'vocab.public', PUBLICS.map((p) => p.value), publicLabels),
    access: labelled(locale, 'vocab.access', ACCESS_KINDS),
    genders: labelled(locale, 'vocab.gender', GENDERS),
    families: labelled(locale, 'vocab.family', FAMILY_SITUATIONS),
    statuses: labelled(locale, 'vocab.adminStatus', ADMIN_STATUSES),
    modalities: labelled(locale, 'vocab.modality', MODALITIES),
    frais: labelled(locale, 'vocab.frais', ['gratuit', 'payant']),
    modesAccueil: labelled(locale, 'vocab.modeAccueil', MODES_ACCUEIL_VALUES),
    modesMobilisation: labelled(locale, 'vocab.modeMobilisation', MODES_MOBILISATION_VALUES),
    mobilisablePar: labelled(locale, 'vocab.mobilisablePar', PERSONNES_MOBILISATRICES_VALUES),
    products: labelled(locale, 'vocab.product', PRODUCT_KINDS),
    diets: labelled(locale, 'vocab.diet', DIETS),
    choices: labelled(locale, 'vocab.choice', CHOICE_DEGREES),
    delivery: labelled(locale, 'vocab.delivery', DELIVERY_MODES),
    languages: LANGUAGES.map((code) => ({ value: code, label: languageName(code, locale) }))
  };
}

export type ServiceVocabulary = ReturnType<typeof serviceVocabulary>;

/** The closed lists of the conditions of access (for `conditionsForForm`). */
export const CONDITION_LISTS = { genders: GENDERS, families: FAMILY_SITUATIONS, statuses: ADMIN_STATUSES };

export function saturationOptions(locale: Locale): Option[] {
  return labelled(locale, 'vocab.saturation', SATURATION_LEVELS);
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The service form's values: a stored service's, or a new service's defaults (received in person, free of charge unknown). */
export function serviceFormValues(s?: ServiceView): ServiceFormValues {
  const food = (s?.food ?? {}) as Record<string, unknown>;
  return {
    name: s?.name ?? '',
    description: s?.description ?? '',
    type: s?.type ?? null,
    thematiques: s?.thematiques ?? [],
    categories: s?.categories ?? [],
    publics: s?.publics ?? [],
    publicsDetails: s?.publicsDetails ?? null,
    access: s?.access ?? 'unconditional',
    conditions: conditionsForForm(s?.conditions, CONDITION_LISTS),
    modalities: s?.modalities ?? [],
    modalitiesDetails: s?.modalitiesDetails ?? null,
    frais: s?.frais ?? null,
    fraisDetails: s?.fraisDetails ?? null,
    modesAccueil: s ? s.modesAccueil : ['en-presentiel'],
    modesMobilisation: s?.modesMobilisation ?? [],
    mobilisablePar: s?.mobilisablePar ?? [],
    mobilisationDetails: s?.mobilisationDetails ?? null,
    mobilisationUrl: s?.mobilisationUrl ?? null,
    zoneEligibilite: (s?.zoneEligibilite ?? []).join(', '),
    food: {
      products: strings(food.products),
      diets: strings(food.diets),
      delivery: strings(food.delivery),
      choice: typeof food.choice === 'string' ? food.choice : '',
      mealTypes: strings(food.mealTypes).join(', ')
    },
    openingHours: s?.openingHours ?? null,
    contactName: s?.contactName ?? null,
    phone: s?.phone ?? null,
    email: s?.email ?? null,
    languages: s?.languages ?? []
  };
}
