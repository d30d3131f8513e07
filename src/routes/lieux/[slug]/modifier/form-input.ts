import type { PlaceSection } from '../../../../lib/schemas/directory';
import { parseDateInput } from '../../../../lib/web/euros';

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

/**
 * A free list typed in one field (codes, meal types): split on commas, semicolons and line breaks
 * (and spaces too when `spaces`), trimmed, blanks and repeats dropped.
 */
export function splitList(text: string | null | undefined, spaces = false): string[] {
  if (!text) return [];
  const parts = text.split(spaces ? /[\s,;]+/ : /[,;\n\r]+/).map((p) => p.trim()).filter(Boolean);
  return [...new Set(parts)];
}

/** A checkbox: true when ticked, else undefined (the stored conditions are replaced as a whole). */
function ticked(data: FormData, name: string): true | undefined {
  const value = data.get(name);
  return typeof value === 'string' && value !== '' ? true : undefined;
}

/** The conditions of access from the service form: ages, gender, family, administrative status, students, details. */
function conditionsInput(data: FormData): Record<string, unknown> {
  const family = list(data, 'conditions.family');
  return defined({
    ageMin: nullableNumber(data, 'conditions.ageMin') ?? undefined,
    ageMax: nullableNumber(data, 'conditions.ageMax') ?? undefined,
    gender: nullableText(data, 'conditions.gender') ?? undefined,
    family: family.length > 0 ? family : undefined,
    status: nullableText(data, 'conditions.status') ?? undefined,
    students: ticked(data, 'conditions.students'),
    details: nullableText(data, 'conditions.details') ?? undefined
  });
}

/** The input of a service form (create or update: the whole form is sent). */
export function serviceInput(data: FormData, mode: 'create' | 'update'): Record<string, unknown> {
  const blank = mode === 'create' ? undefined : null;
  const text = (name: string) => nullableText(data, name) ?? blank;
  const choice = nullableText(data, 'food.choice');
  const mealTypes = nullableText(data, 'food.mealTypes');
  return defined({
    name: nullableText(data, 'name') ?? '',
    description: nullableText(data, 'description') ?? '',
    type: text('type'),
    thematiques: list(data, 'thematiques'),
    categories: list(data, 'categories'),
    publics: list(data, 'publics'),
    publicsDetails: text('publicsDetails'),
    access: nullableText(data, 'access') ?? undefined,
    conditions: conditionsInput(data),
    modalities: list(data, 'modalities'),
    modalitiesDetails: text('modalitiesDetails'),
    frais: text('frais'),
    fraisDetails: text('fraisDetails'),
    modesAccueil: list(data, 'modesAccueil'),
    modesMobilisation: list(data, 'modesMobilisation'),
    mobilisablePar: list(data, 'mobilisablePar'),
    mobilisationDetails: text('mobilisationDetails'),
    mobilisationUrl: text('mobilisationUrl'),
    zoneEligibilite: splitList(nullableText(data, 'zoneEligibilite')?.toUpperCase(), true),
    food: defined({
      products: list(data, 'food.products'),
      diets: list(data, 'food.diets'),
      delivery: list(data, 'food.delivery'),
      choice: choice ?? undefined,
      mealTypes: mealTypes === undefined ? undefined : splitList(mealTypes)
    }),
    openingHours: text('openingHours'),
    contactName: text('contactName'),
    phone: text('phone'),
    email: text('email'),
    languages: list(data, 'languages')
  });
}

/** The closed lists a stored service's conditions may use (values outside them came from imports or old data). */
export interface ConditionLists {
  genders: readonly string[];
  families: readonly string[];
  statuses: readonly string[];
}

/** The conditions of a service as the form shows them. */
export interface ConditionsForm {
  ageMin: string;
  ageMax: string;
  gender: string;
  family: string[];
  status: string;
  students: boolean;
  details: string;
}

/** A service as its form shows it (lists typed in one field are joined with commas). */
export interface ServiceFormValues {
  name: string;
  description: string;
  type: string | null;
  thematiques: string[];
  categories: string[];
  publics: string[];
  publicsDetails: string | null;
  access: string;
  conditions: ConditionsForm;
  modalities: string[];
  modalitiesDetails: string | null;
  frais: string | null;
  fraisDetails: string | null;
  modesAccueil: string[];
  modesMobilisation: string[];
  mobilisablePar: string[];
  mobilisationDetails: string | null;
  mobilisationUrl: string | null;
  zoneEligibilite: string;
  food: { products: string[]; diets: string[]; delivery: string[]; choice: string; mealTypes: string };
  openingHours: string | null;
  contactName: string | null;
  phone: string | null;
  email: string | null;
  /** Spoken at this service besides the place's languages. */
  languages: string[];
}

/**
 * A stored service's conditions for the form. Values outside the closed lists (an imported
 * `family: "enfant-de-moins-de-3-ans"`) cannot be ticked: they are kept as words in the details,
 * so saving the form does not lose them.
 */
export function conditionsForForm(stored: Record<string, unknown> | null | undefined, lists: ConditionLists): ConditionsForm {
  const c = stored ?? {};
  const extra: string[] = [];
  const words = (v: string) => v.replace(/[-_]+/g, ' ').trim();
  const one = (v: unknown, allowed: readonly string[]) => {
    if (typeof v !== 'string' || v === '') return '';
    if (allowed.includes(v)) return v;
    extra.push(words(v));
    return '';
  };
  const family: string[] = [];
  for (const v of Array.isArray(c.family) ? c.family : c.family === undefined ? [] : [c.family]) {
    if (typeof v !== 'string' || v === '') continue;
    if (lists.families.includes(v)) family.push(v);
    else extra.push(words(v));
  }
  const gender = one(c.gender, lists.genders);
  const status = one(c.status, lists.statuses);
  const age = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
  const details = [typeof c.details === 'string' ? c.details.trim() : '', ...extra].filter(Boolean).join('\n');
  return { ageMin: age(c.ageMin), ageMax: age(c.ageMax), gender, family, status, students: c.students === true, details };
}

// ---------------------------------------------------------------- stops of a mobile place

/** One stop as the stops API takes it (`id` keeps an existing stop). */
export interface StopPayload {
  id?: string;
  name: string;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  lat: number | string | null;
  lng: number | string | null;
  openingHours: string | null;
  /** YYYY-MM-DD; forms also accept jj/mm/aaaa. Null: no limit. */
  validFrom: string | null;
  validTo: string | null;
}

/** A date field of a form: null when blank, YYYY-MM-DD when read (jj/mm/aaaa accepted), else as typed. */
export function nullableDate(data: FormData, name: string): string | null {
  const text = nullableText(data, name);
  return text === undefined || text === null ? null : (parseDateInput(text) ?? text);
}

/** The version of the stop list the form was read at (NaN when missing: the service names `version`). */
export function stopsVersionOf(data: FormData): number {
  const text = nullableText(data, 'version');
  return text === undefined || text === null ? Number.NaN : Number(text);
}

/** The fields of a stop form (blank = none; coordinates as numbers when readable). */
export function stopInput(data: FormData): Omit<StopPayload, 'id'> {
  return {
    name: nullableText(data, 'name') ?? '',
    addressLine: nullableText(data, 'addressLine') ?? null,
    postalCode: nullableText(data, 'postalCode') ?? null,
    city: nullableText(data, 'city') ?? null,
    lat: nullableNumber(data, 'lat') ?? null,
    lng: nullableNumber(data, 'lng') ?? null,
    openingHours: nullableText(data, 'openingHours') ?? null,
    validFrom: nullableDate(data, 'validFrom'),
    validTo: nullableDate(data, 'validTo')
  };
}

/** A stop as the place page holds it. */
export interface StoredStop {
  id: string;
  name: string;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  lat: number | null;
  lng: number | null;
  openingHours: string | null;
  validFrom: string | null;
  validTo: string | null;
}

/** Stored stops given back to the API as they are (ids kept). */
export function storedStops(stops: readonly StoredStop[]): StopPayload[] {
  return stops.map((s) => ({
    id: s.id,
    name: s.name,
    addressLine: s.addressLine,
    postalCode: s.postalCode,
    city: s.city,
    lat: s.lat,
    lng: s.lng,
    openingHours: s.openingHours,
    validFrom: s.validFrom,
    validTo: s.validTo
  }));
}

/** One change to the ordered stops, as a page asks for it. */
export type StopChange =
  | { kind: 'add'; stop: Omit<StopPayload, 'id'> }
  | { kind: 'replace'; id: string; stop: Omit<StopPayload, 'id'> }
  | { kind: 'remove'; id: string }
  | { kind: 'move'; id: string; by: -1 | 1 };

/**
 * The whole list after one change, and the index of the stop concerned (where the API reports its
 * problems, `stops.N.…`); null when the stop is no longer there (someone else removed it).
 * Moving the first stop up or the last down leaves the order as it is.
 */
export function changeStops(stops: readonly StopPayload[], change: StopChange): { stops: StopPayload[]; index: number } | null {
  const list = [...stops];
  if (change.kind === 'add') {
    list.push({ ...change.stop });
    return { stops: list, index: list.length - 1 };
  }
  const index = list.findIndex((s) => s.id === change.id);
  if (index < 0) return null;
  switch (change.kind) {
    case 'replace':
      list[index] = { id: change.id, ...change.stop };
      return { stops: list, index };
    case 'remove':
      list.splice(index, 1);
      return { stops: list, index };
    case 'move': {
      const target = index + change.by;
      if (target < 0 || target >= list.length) return { stops: list, index };
      const [moved] = list.splice(index, 1);
      list.splice(target, 0, moved!);
      return { stops: list, index: target };
    }
  }
}

/**
 * Field paths of the stops API (`stops.2.openingHours`) for the form of stop `index`
 * (`openingHours`); paths of other stops are left as they are.
 */
export function stopFieldPath(path: string, index: number): string {
  const prefix = `stops.${index}.`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}
