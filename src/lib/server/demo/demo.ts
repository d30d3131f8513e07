import type { Services } from '../services.js';

/**
 * Loads the fictional demo territory into an empty database. Returns true when it loaded.
 * (Placeholder until the demo territory lands: nothing is loaded yet.)
 */
export async function loadDemoIfEmpty(services: Services): Promise<boolean> {
  const row = await services.db.selectFrom('organisation').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0) === 0 && false;
}
