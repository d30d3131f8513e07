import { parisFields, parisWallToInstant } from '../directory/hours.rules.js';

/** Paris wall-clock helpers of offers (windows typed as a day and HH:MM; DLC days). Pure. */

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The instant of a Paris date and HH:MM (DST-safe), or the typed text when it is not one (the rules report it). */
export function parisInstant(day: string, hhmm: string): string {
  const m = HHMM.exec(hhmm.trim());
  if (!DAY.test(day.trim()) || !m) return `${day} ${hhmm}`.trim() || 'invalid';
  const [y, mo, d] = day.trim().split('-').map(Number) as [number, number, number];
  return parisWallToInstant({ year: y, month: mo, day: d, hour: Number(m[1]), minute: Number(m[2]), second: 0, millisecond: 0 }).toISOString();
}

/** `YYYY-MM-DD` and `HH:MM` in Paris of an instant. */
export function parisDayTime(iso: string | Date): { day: string; time: string } {
  const f = parisFields(typeof iso === 'string' ? new Date(iso) : iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return { day: `${f.year}-${two(f.month)}-${two(f.day)}`, time: `${two(f.hour)}:${two(f.minute)}` };
}
