import type { MembershipRole, OrganisationKind } from '../../../schemas/vocabulary.js';

/**
 * Who may see and do what with a person's eligibility: pure functions, tested for every standing.
 *
 * Least privilege, decided:
 * - A person's file (household, resources, requests, documents, decisions) is read only by the person
 *   and by members of the organisation the request was made to (or that accompanies the person).
 *   Platform admins do NOT read files: they run the platform, not social support.
 * - Documents are readable by that organisation's members only while the request is undecided
 *   (they are deleted at the decision anyway).
 * - Everyone else with a reason to know (members of CCAS, associations, platform) sees at most
 *   "eligible for scheme X until date, by organisation Y"; donors see nothing here (at a pickup they
 *   get a first name and a code, see the marketplace).
 * - Any member of a deciding organisation may decide (front-desk volunteers decide in practice);
 *   whether the organisation may decide a given scheme is a setting (`scheme_decider`), checked by
 *   the service (403 naming the scheme).
 * - Schemes and territory settings: platform admins, and owners/managers of a CCAS.
 */

export interface AgentMembership {
  organisationId: string;
  role: MembershipRole;
  kind: OrganisationKind;
}

/** The caller as these policies see them. */
export interface Agent {
  userId: string;
  isPlatformAdmin: boolean;
  memberships: readonly AgentMembership[];
}

const SOCIAL_KINDS: readonly OrganisationKind[] = ['ccas', 'association'];

export function roleIn(agent: Agent, organisationId: string): MembershipRole | null {
  return agent.memberships.find((m) => m.organisationId === organisationId)?.role ?? null;
}

function socialMemberOf(agent: Agent, organisationId: string): boolean {
  const m = agent.memberships.find((x) => x.organisationId === organisationId);
  return m !== undefined && SOCIAL_KINDS.includes(m.kind);
}

/** Edit schemes, their deciders and thresholds, and territory settings (table of parts…). */
export function canManageSchemes(agent: Agent): boolean {
  return (
    agent.isPlatformAdmin ||
    agent.memberships.some((m) => m.kind === 'ccas' && (m.role === 'owner' || m.role === 'manager'))
  );
}

/** See the queue of requests made to an organisation, and start a request at the desk there. */
export function canWorkQueue(agent: Agent, organisationId: string): boolean {
  return socialMemberOf(agent, organisationId);
}

/** Read one request (with household and resources): its person, or the organisation it was made to. */
export function canReadRequest(agent: Agent, request: { userId: string; organisationId: string }): boolean {
  return agent.userId === request.userId || socialMemberOf(agent, request.organisationId);
}

/**
 * Read a request's documents: the organisation it was made to, while undecided. The person may
 * see the list of what they sent, not download it back (nothing to gain, one less leak path).
 */
export function canReadDocuments(
  agent: Agent,
  request: { organisationId: string; status: string }
): boolean {
  return socialMemberOf(agent, request.organisationId) && (request.status === 'submitted' || request.status === 'incomplete');
}

/** Add documents or answer "what is missing": the person, or the organisation's members at the desk. */
export function canAddDocuments(
  agent: Agent,
  request: { userId: string; organisationId: string; status: string }
): boolean {
  const open = request.status === 'submitted' || request.status === 'incomplete';
  return open && (agent.userId === request.userId || socialMemberOf(agent, request.organisationId));
}

/** Decide (grant, refuse, ask for more) a request made to this organisation. */
export function canDecide(agent: Agent, request: { organisationId: string }): boolean {
  return socialMemberOf(agent, request.organisationId);
}

/** Withdraw a request: its person, while undecided. */
export function canWithdraw(agent: Agent, request: { userId: string; status: string }): boolean {
  return agent.userId === request.userId && (request.status === 'submitted' || request.status === 'incomplete');
}

/** Revoke a grant before its end: members of the organisation that granted it. */
export function canRevokeGrant(agent: Agent, grant: { organisationId: string }): boolean {
  return socialMemberOf(agent, grant.organisationId);
}

/**
 * See that a person is eligible (scheme, until, by whom) and nothing more: the person, and members
 * of any CCAS, association or the platform organisation (partners orienting people). Not donors.
 */
export function canSeeGrantSummary(agent: Agent, personUserId: string): boolean {
  return (
    agent.userId === personUserId ||
    agent.memberships.some((m) => m.kind === 'ccas' || m.kind === 'association' || m.kind === 'platform')
  );
}

/** Create an accompanied account (person without phone or email) for this organisation. */
export function canCreateAccompanied(agent: Agent, organisationId: string): boolean {
  return socialMemberOf(agent, organisationId);
}

/**
 * Act for an accompanied person (their file, requests, cards, later reservations): members of the
 * accompanying organisation. Every act is written to the audit log by the service.
 */
export function canActFor(agent: Agent, accompaniment: { organisationId: string } | null): boolean {
  return accompaniment !== null && socialMemberOf(agent, accompaniment.organisationId);
}

/** What the caller may do with a request, sent with it so the UI never guesses. */
export interface RequestPermissions {
  canRead: boolean;
  canReadDocuments: boolean;
  canAddDocuments: boolean;
  canDecide: boolean;
  canWithdraw: boolean;
}

export function requestPermissions(
  agent: Agent,
  request: { userId: string; organisationId: string; status: string }
): RequestPermissions {
  const open = request.status === 'submitted' || request.status === 'incomplete';
  return {
    canRead: canReadRequest(agent, request),
    canReadDocuments: canReadDocuments(agent, request),
    canAddDocuments: canAddDocuments(agent, request),
    canDecide: open && canDecide(agent, request),
    canWithdraw: canWithdraw(agent, request)
  };
}
