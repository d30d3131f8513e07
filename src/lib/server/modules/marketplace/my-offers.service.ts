import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { toOfferView, type OfferView } from './offers.presenter.js';
import { listDonorUserOffers } from './offers.repository.js';
import { distinctPickups, type KnownPickup } from './my-offers.rules.js';
import { readSettings } from './reservations.repository.js';

/**
 * A private person's own offers (dons entre particuliers), when the territory allows it
 * (`individualsMayPost` in the marketplace settings). Posting, editing and cancelling go through the
 * offers service, which applies the stricter rules for private people (no raw animal products…);
 * this only answers "may I?" and "what did I post?".
 */
export function createMyOffersService(deps: { db: Kysely<DB> }) {
  const { db } = deps;

  /** Whether private people may post offers in this territory. */
  async function individualsMayPost(): Promise<boolean> {
    return (await readSettings(db)).individualsMayPost;
  }

  return {
    individualsMayPost,

    /** The actor's own offers, newest first (50 at most); 403 when the territory does not let private people post. */
    async listMyOffers(actor: Actor): Promise<OfferView[]> {
      if (!(await individualsMayPost())) {
        throw new AppError('forbidden', 'Private people may not post offers in this territory', { reason: 'individuals_may_not_post' });
      }
      return (await listDonorUserOffers(db, actor.userId)).map((o) => toOfferView(o, { forDonor: true }));
    },

    /**
     * The pickup addresses the actor already used (located when posted), newest first, at most 5:
     * proposed on the form, and used without a look-up when typed again (so posting still works when
     * the national address API does not answer).
     */
    async knownPickups(actor: Actor): Promise<KnownPickup[]> {
      return distinctPickups(await listDonorUserOffers(db, actor.userId));
    }
  };
}

export type MyOffersService = ReturnType<typeof createMyOffersService>;
