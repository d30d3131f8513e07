import type { Actor } from '../../http/auth.js';
import type { Services } from '../../services.js';
import type { AccountUser } from '../../../schemas/accounts.js';

/** Which of the areas linked from the account are open to it. */
export interface AccountPermissions {
  /** Platform admins, CCAS owners and managers: the directory's update campaigns. */
  canRunCampaigns: boolean;
  /** The same people: the eligibility schemes and their thresholds. */
  canManageSchemes: boolean;
  /** Private people may post offers (when the territory allows it). */
  mayPostOffers: boolean;
}

/**
 * The account as `/compte` and `GET /api/v1/account` show it: the user, until when an unconfirmed
 * account is kept (null once confirmed), and the areas open to it. One place for both, so the page and
 * the API cannot drift apart.
 */
export async function accountOverview(
  services: Pick<Services, 'accounts' | 'freshness' | 'schemes' | 'myOffers'>,
  actor: Actor
): Promise<{ user: AccountUser; confirmBefore: string | null; permissions: AccountPermissions }> {
  const [user, confirmBefore, canRunCampaigns, { canManageSchemes }, mayPostOffers] = await Promise.all([
    services.accounts.getAccount(actor.userId),
    services.accounts.confirmationDeadline(actor.userId),
    services.freshness.mayRunCampaigns(actor),
    services.schemes.permissions(actor),
    services.myOffers.individualsMayPost()
  ]);
  return { user, confirmBefore, permissions: { canRunCampaigns, canManageSchemes, mayPostOffers } };
}
