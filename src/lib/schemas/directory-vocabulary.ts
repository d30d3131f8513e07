/**
 * Closed lists of the directory (annuaire), without zod so pages can import them cheaply.
 * data·inclusion lists are in data-inclusion.ts; these are the finer food-aid vocabulary of
 * domain.md ("Directory model") that data·inclusion does not carry.
 */

/** Finer food categories people look for (the leading French directory uses these). */
export const FOOD_CATEGORIES = [
  'distribution-alimentaire',
  'colis-alimentaire',
  'epicerie-sociale',
  'frigo-solidaire',
  'cuisine-partagee',
  'atelier-cuisine',
  'colis-bebe',
  'bons-alimentaires',
  'jardin-partage',
  'repas-solidaire'
] as const;
export type FoodCategory = (typeof FOOD_CATEGORIES)[number];

/** Neighbouring help also listed: clothing, small equipment. */
export const OTHER_CATEGORIES = ['vetements', 'electromenager', 'hygiene'] as const;
export const CATEGORIES = [...FOOD_CATEGORIES, ...OTHER_CATEGORIES] as const;
export type Category = (typeof CATEGORIES)[number];

/** How a service is reached (modalités). */
export const MODALITIES = [
  'sans-condition',
  'sur-rendez-vous',
  'sur-inscription',
  'sur-orientation',
  'participation-financiere'
] as const;
export type Modality = (typeof MODALITIES)[number];

/** Whether the listed publics are the only ones received, preferred, or nobody is turned away. */
export const ACCESS_KINDS = ['unconditional', 'preferential', 'exclusive'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** Gender conditions of access. */
export const GENDERS = ['women', 'men'] as const;
/** Family situations a service may be restricted to. */
export const FAMILY_SITUATIONS = ['single', 'couple', 'with-children', 'single-parent'] as const;
/** Administrative situations a service may be restricted to. */
export const ADMIN_STATUSES = ['any', 'regular', 'asylum-seeker', 'undocumented'] as const;

/** Kinds of food products handed out. */
export const PRODUCT_KINDS = ['frais', 'sec', 'surgele', 'bebe'] as const;
/** Diets catered for. */
export const DIETS = ['vegetarien', 'halal', 'casher', 'sans-gluten', 'sans-lactose'] as const;
/** How much the person chooses what they receive. */
export const CHOICE_DEGREES = ['libre', 'accompagne', 'aucun'] as const;
/** Where the food is eaten or taken. */
export const DELIVERY_MODES = ['sur-place', 'a-emporter', 'livraison'] as const;
/** How saturated a place is (shown to the public and to partners who refer people). */
export const SATURATION_LEVELS = ['low', 'medium', 'high'] as const;
export type SaturationLevel = (typeof SATURATION_LEVELS)[number];

/** Kinds of temporary notice on a place or a service. */
export const NOTICE_KINDS = ['closure', 'hours'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Languages spoken at a place: ISO 639-1 codes common in French food aid. */
export const LANGUAGES = ['fr', 'en', 'ar', 'es', 'pt', 'ru', 'uk', 'tr', 'ro', 'fa', 'ps', 'ti', 'so', 'wo', 'zh', 'it', 'de', 'pl', 'lsf'] as const;
