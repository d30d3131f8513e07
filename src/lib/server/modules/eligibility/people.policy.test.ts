import { describe, expect, it } from 'vitest';
import type { Agent, AgentMembership } from './eligibility.policy.js';
import { canActFor, canCreateAccompanied, canIdentifyByCard, canSeeGrantSummary, personPermissions } from './people.policy.js';

const CCAS = 'ccas-1';
const OTHER_CCAS = 'ccas-2';
const ASSOC = 'assoc-1';
const DONOR = 'donor-1';
const PLATFORM = 'platform-1';

function agent(memberships: AgentMembership[] = [], isPlatformAdmin = false, userId = 'agent'): Agent {
  return { userId, isPlatformAdmin, memberships };
}

const ccasMember = agent([{ organisationId: CCAS, role: 'member', kind: 'ccas' }]);
const ccasOwner = agent([{ organisationId: CCAS, role: 'owner', kind: 'ccas' }]);
const otherCcas = agent([{ organisationId: OTHER_CCAS, role: 'owner', kind: 'ccas' }]);
const assocMember = agent([{ organisationId: ASSOC, role: 'member', kind: 'association' }]);
const donor = agent([{ organisationId: DONOR, role: 'owner', kind: 'donor' }]);
const platformMember = agent([{ organisationId: PLATFORM, role: 'member', kind: 'platform' }]);
const admin = agent([], true);
const nobody = agent();
const person = agent([], false, 'person');

describe('who may create an accompanied account', () => {
  it.each([
    ['a CCAS member, for that CCAS', ccasMember, CCAS, true],
    ['a CCAS owner, for that CCAS', ccasOwner, CCAS, true],
    ['an association member, for that association', assocMember, ASSOC, true],
    ['a member of another CCAS', otherCcas, CCAS, false],
    ['a donor, for the donor organisation', donor, DONOR, false],
    ['a platform organisation member, for it', platformMember, PLATFORM, false],
    ['a platform admin who is not a member', admin, CCAS, false],
    ['someone without organisation', nobody, CCAS, false]
  ])('%s: %s', (_label, who, org, expected) => {
    expect(canCreateAccompanied(who, org)).toBe(expected);
  });
});

describe('who may read, act for, issue, revoke and print for an accompanied person', () => {
  const accompaniment = { organisationId: CCAS };
  it.each([
    ['a member of the accompanying CCAS', ccasMember, true],
    ['an owner of the accompanying CCAS', ccasOwner, true],
    ['a member of another CCAS', otherCcas, false],
    ['an association member', assocMember, false],
    ['a donor', donor, false],
    ['a platform admin (runs the platform, not social support)', admin, false],
    ['the person themself (acting for oneself is not acting for)', person, false]
  ])('%s: %s', (_label, who, expected) => {
    expect(canActFor(who, accompaniment)).toBe(expected);
    expect(personPermissions(who, accompaniment)).toEqual({
      canIssueCard: expected,
      canRevokeCard: expected,
      canPrintCard: expected,
      canExport: expected,
      canErase: expected
    });
  });

  it('refuses everyone for someone nobody accompanies', () => {
    expect(canActFor(ccasMember, null)).toBe(false);
    expect(personPermissions(ccasOwner, null).canIssueCard).toBe(false);
  });
});

describe('who may identify a card and what they learn', () => {
  it.each([
    ['a CCAS member', ccasMember, true, true],
    ['an association member', assocMember, true, true],
    ['a platform organisation member', platformMember, true, true],
    ['a donor (first name only)', donor, true, false],
    ['a platform admin without membership', admin, false, false],
    ['someone without organisation', nobody, false, false]
  ])('%s', (_label, who, identify, grants) => {
    expect(canIdentifyByCard(who)).toBe(identify);
    expect(canSeeGrantSummary(who, 'someone-else')).toBe(grants);
  });

  it('lets the person see their own grant summary', () => {
    expect(canSeeGrantSummary(person, 'person')).toBe(true);
    expect(canSeeGrantSummary(person, 'someone-else')).toBe(false);
  });
});
