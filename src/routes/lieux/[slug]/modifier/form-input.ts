import type { PlaceSection } from '../../../../lib/schemas/directory';

/**
 * Reading the partner editing forms into the directory service's input (pure, tested without a
 * server): blank = cleared (`null`), absent = unchanged, numbers as numbers. Parsing is loose on
 * purpose: the service validates with the shared schemas and names each bad field.
 */

/** A text field: undefined when the form has no such field, null when blank (clears it), else trimmed. */
export function nullableText(data: FormData, name: string): string | null | undefined {
  const value = data.get(name);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A number field: null when blank; an unreadable number is passed as typed so the schema names the field. */
export function nullableNumber(data: FormData, name: string): number | string | null | undefined {
  const text = nullableText(data, name);
  if (text === undefined || text === null) return text;
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) ? n : text;
}

/** A yes / no / unknown select. */
export function triState(data: FormData, name: string): boolean | null | undefined {
  const value = data.get(name);
  if (typeof value !== 'string') return undefined;
  return value === 'yes' ? true : value === 'no' ? false : null;
}

/** Checked boxes of a list. */
export function list(data: FormData, name: string): string[] {
  return data.getAll(name).filter((v): v is string => typeof v === 'string' && v !== '');
}

const defined = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The input of one place section from its form. */
export function sectionInput(section: PlaceSection, data: FormData): Record<string, unknown> {
  switch (section) {
    case 'identity':
      return defined({ name: nullableText(data, 'name') ?? '', description: nullableText(data, 'description') });
    case 'address':
      return defined({
        addressLine: nullableText(data, 'addressLine'),
        addressComplement: nullableText(data, 'addressComplement'),
        postalCode: nullableText(data, 'postalCode'),
        city: nullableText(data, 'city'),
        inseeCode: nullableText(data, 'inseeCode'),
        lat: nullableNumber(data, 'lat'),
        lng: nullableNumber(data, 'lng')
      });
    case 'contact':
      return defined({ phone: nullableText(data, 'phone'), email: nullableText(data, 'email'), website: nullableText(data, 'website') });
    case 'hours':
      return { openingHours: nullableText(data, 'openingHours') ?? null };
    case 'access':
      return defined({
        isAccessible: triState(data, 'isAccessible'),
        accessibilityUrl: nullableText(data, 'accessibilityUrl'),
        languages: list(data, 'languages')
      });
    case 'status':
      return { saturation: nullableText(data, 'saturation') ?? null };
  }
}

/** The input of a service form (create or update: the whole form is sent). */
export function serviceInput(data: FormData, mode: 'create' | 'update'): Record<string, unknown> {
  const blank = mode === 'create' ? undefined : null;
  const text = (name: string) => nullableText(data, name) ?? blank;
  const choice = nullableText(data, 'food.choice');
  return defined({
    name: nullableText(data, 'name') ?? '',
    description: nullableText(data, 'description') ?? '',
    type: text('type'),
    categories: list(data, 'categories'),
    publics: list(data, 'publics'),
    publicsDetails: text('publicsDetails'),
    access: nullableText(data, 'access') ?? undefined,
    modalities: list(data, 'modalities'),
    modalitiesDetails: text('modalitiesDetails'),
    frais: text('frais'),
    fraisDetails: text('fraisDetails'),
    food: defined({
      products: list(data, 'food.products'),
      diets: list(data, 'food.diets'),
      delivery: list(data, 'food.delivery'),
      choice: choice ?? undefined
    }),
    openingHours: text('openingHours'),
    contactName: text('contactName'),
    phone: text('phone'),
    email: text('email')
  });
}
