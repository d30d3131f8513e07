import type { Audience } from '../../../schemas/marketplace-vocabulary.js';
import type { OrganisationKind } from '../../../schemas/organisations.js';

/**
 * Who may post and manage offers: any member (whatever the role) of a donor organisation; a private
 * person manages only their own offers. Pure: the service looks the facts up.
 */
export function canManageOrganisationOffers(facts: { organisationKind: OrganisationKind; isMember: boolean }): boolean {
  return facts.isMember && facts.organisationKind === 'donor';
}

/** A private person's offer: only its poster manages it. */
export function canManageOwnOffer(facts: { donorUserId: string | null; actorUserId: string }): boolean {
  return facts.donorUserId !== null && facts.donorUserId === facts.actorUserId;
}

/**
 * Who may read a published offer by its id, besides its donor side (whose `mayManage` comes first):
 * what some feed shows them, and nothing more. A person holding a running anti-gaspi access sees
 * offers open to people; a member of a partner association or CCAS sees every audience (its own feed
 * and the feeds of the people it acts for); anyone who reserved it keeps seeing it, and platform admins
 * see all. Everyone else gets
 * a 404, as for an unknown id: an offer's pickup address may be a private person's home.
 */
export function maySeeOffer(facts: {
  audience: Audience;
  holdsMarketplaceAccess: boolean;
  isPartnerMember: boolean;
  hasReserved: boolean;
  isPlatformAdmin: boolean;
}): boolean {
  if (facts.isPlatformAdmin || facts.hasReserved || facts.isPartnerMember) return true;
  return facts.holdsMarketplaceAccess && facts.audience !== 'partners';
}
