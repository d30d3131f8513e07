import { createHash } from 'node:crypto';
import { PICKUP_CODE_ALPHABET, PICKUP_CODE_LENGTH } from '../../../schemas/marketplace-vocabulary.js';
import { fieldError } from '../../errors.js';
import { CARD_CODE_LENGTH } from '../eligibility/people.rules.js';
import { parisFields, parisWallToInstant } from '../directory/hours.rules.js';

/**
 * Pure rules of the handover (remise) of a reserved offer: what a typed code is, when a handover may be
 * confirmed, what a partial pickup gives back, when a confirmed reservation becomes a no-show, and
 * when repeated no-shows lower a person's limits. No I/O; pickup.service.ts does the rest.
 */

/** A handover may be confirmed from this many minutes before the window opens (the person comes early)… */
export const HANDOVER_EARLY_MINUTES = 30;
/**
 * …until this many minutes after it ends (the baker closes late). The no-show job waits the same grace,
 * so a reservation is never both collectable and a no-show; the conditional updates settle any race.
 */
export const HANDOVER_LATE_MINUTES = 60;
export const NO_SHOW_GRACE_MINUTES = HANDOVER_LATE_MINUTES;

/** Wrong pickup codes per donor account and per address, in 15 minutes (only failures count). */
export const LOOKUP_LIMITS = { perUser: 20, perIp: 40, windowMs: 15 * 60 * 1000 } as const;

export type TypedCode = { kind: 'pickup'; code: string } | { kind: 'card'; code: string };

/**
 * A typed or scanned code as stored: upper case, spaces and dashes removed. Six symbols is a pickup
 * code, eight an accompanied person's card (same alphabet). Anything else → 400 naming `field`:
 * 0, O, 1, I and L are never printed, so a code with one was misread and should be read again.
 */
export function normaliseHandoverCode(input: string, field = 'code'): TypedCode {
  const code = input.toUpperCase().replace(/[\s\-‐‑–—]/g, '');
  for (const ch of code) {
    if (!PICKUP_CODE_ALPHABET.includes(ch)) {
      throw fieldError(field, `"${ch}" is never used in codes (no 0, O, 1, I or L): read the code again`, 'invalid_character');
    }
  }
  if (code.length === PICKUP_CODE_LENGTH) return { kind: 'pickup', code };
  if (code.length === CARD_CODE_LENGTH) return { kind: 'card', code };
  throw fieldError(
    field,
    `A pickup code has ${PICKUP_CODE_LENGTH} characters, a card code ${CARD_CODE_LENGTH}`,
    'invalid_length'
  );
}

/** The data contract (migration 030): code_hash = sha256 hex of offer id followed by the normalised code. */
export function pickupCodeHash(offerId: string, code: string): string {
  return createHash('sha256').update(offerId + code, 'utf8').digest('hex');
}

const MINUTE = 60_000;

/** Where `at` stands against the handover period of a window (with its tolerances). */
export function handoverTiming(window: { startsAt: string; endsAt: string }, at: Date): 'early' | 'open' | 'late' {
  const t = at.getTime();
  if (t < new Date(window.startsAt).getTime() - HANDOVER_EARLY_MINUTES * MINUTE) return 'early';
  if (t > new Date(window.endsAt).getTime() + HANDOVER_LATE_MINUTES * MINUTE) return 'late';
  return 'open';
}

/** The units of a reservation not collected, which go back to the offer's remainder. */
export function unitsGivenBack(reserved: number, collected: number): number {
  return Math.max(0, reserved - collected);
}

/** Windows that ended before this instant leave their confirmed reservations as no-shows. */
export function noShowCutoff(at: Date): string {
  return new Date(at.getTime() - NO_SHOW_GRACE_MINUTES * MINUTE).toISOString();
}

/** [start, end) in UTC of the Europe/Paris calendar day that contains `at` (23, 24 or 25 hours long). */
export function parisDayBounds(at: Date): { from: string; to: string } {
  const { year, month, day } = parisFields(at);
  const midnight = (plusDays: number) => parisWallToInstant({ year, month, day: day + plusDays, hour: 0, minute: 0, second: 0, millisecond: 0 });
  return { from: midnight(0).toISOString(), to: midnight(1).toISOString() };
}
