import { canActFor, canCreateAccompanied, canSeeGrantSummary, type Agent } from './eligibility.policy.js';

/**
 * Who may do what with accompanied people and their cards, on top of eligibility.policy.ts
 * (pure; the service calls these and answers 404 rather than 403 where a 403 would tell that a
 * person exists).
 *
 * - Create an accompanied account: members of a CCAS or association, for that organisation.
 * - Read the person's summary, issue, revoke and print cards, export or erase for them: members of
 *   the accompanying organisation only (`canActFor`), every act in the audit log.
 * - Identify someone by card at a pickup: any member of an organisation (donors included, they
 *   hand over donations). Donors then learn the first name only; members of CCAS, associations
 *   and the platform organisation also see the grant summary (`canSeeGrantSummary`).
 */

export { canActFor, canCreateAccompanied, canSeeGrantSummary };

/** Identify a person by the code of their card (a pickup): members of any organisation. */
export function canIdentifyByCard(agent: Agent): boolean {
  return agent.memberships.length > 0;
}

/** What the caller may do on a person's page, sent with it so the UI never guesses. */
export interface PersonPermissions {
  canIssueCard: boolean;
  canRevokeCard: boolean;
  canPrintCard: boolean;
  canExport: boolean;
  canErase: boolean;
}

export function personPermissions(agent: Agent, accompaniment: { organisationId: string } | null): PersonPermissions {
  const acting = canActFor(agent, accompaniment);
  return { canIssueCard: acting, canRevokeCard: acting, canPrintCard: acting, canExport: acting, canErase: acting };
}
