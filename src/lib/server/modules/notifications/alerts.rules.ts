/**
 * Pure rules of the marketplace alerts: quiet hours (Europe/Paris), distance, what matches a
 * person's saved preferences.
 */
import { haversineKm } from '../../db/geosearch.js';
import { fieldError } from '../../errors.js';
import { parisFields } from '../directory/hours.rules.js';

/** Minutes since midnight in Europe/Paris. */
export function parisMinutes(at: Date): number {
  const { hour, minute } = parisFields(at);
  return hour * 60 + minute;
}

function minutesOf(hhmm: string | null): number | null {
  if (!hhmm) return null;
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * Whether `at` falls in the quiet hours [start, end) (HH:MM, Paris time; may wrap midnight, e.g.
 * 22:00–07:00). No quiet hours when either end is missing or both are equal.
 */
export function inQuietHours(start: string | null, end: string | null, at: Date): boolean {
  const s = minutesOf(start);
  const e = minutesOf(end);
  if (s === null || e === null || s === e) return false;
  const now = parisMinutes(at);
  return s < e ? now >= s && now < e : now >= s || now < e;
}

export interface AlertPreference {
  lat: number;
  lng: number;
  radiusKm: number;
  categories: string[];
  dietMask: number;
  excludedAllergenMask: number;
}

export interface AlertOffer {
  lat: number;
  lng: number;
  category: string;
  dietMask: number;
  allergenMask: number;
}

/**
 * Whether an offer matches a saved area: within the radius, in one of the chosen categories (none
 * chosen = all), carrying every chosen diet, containing none of the excluded allergens.
 */
export function offerMatches(pref: AlertPreference, offer: AlertOffer): boolean {
  if (haversineKm(pref, offer) > pref.radiusKm) return false;
  if (pref.categories.length > 0 && !pref.categories.includes(offer.category)) return false;
  if ((offer.dietMask & pref.dietMask) !== pref.dietMask) return false;
  if ((offer.allergenMask & pref.excludedAllergenMask) !== 0) return false;
  return true;
}


/** Quiet hours have both ends or neither: throws a 400 naming the missing end (`quiet_hours_incomplete`). */
export function checkQuietHours(start: string | null, end: string | null): void {
  if ((start === null) !== (end === null)) {
    throw fieldError(start === null ? 'quietStart' : 'quietEnd', 'set both ends of the quiet hours, or neither', 'quiet_hours_incomplete');
  }
}
