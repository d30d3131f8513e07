/**
 * A stored phone number as a person reads it: French numbers in national form (`+33612345678` →
 * `06 12 34 56 78`), others as stored. No zod here: pages import it into the browser bundle.
 */
export function formatPhone(e164: string): string {
  if (!/^\+33[1-9]\d{8}$/.test(e164)) return e164;
  return `0${e164.slice(3)}`.replace(/(\d{2})(?=\d)/g, '$1 ');
}
