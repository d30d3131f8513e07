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
