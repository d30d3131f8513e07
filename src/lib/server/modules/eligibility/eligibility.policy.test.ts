import { describe, expect, it } from 'vitest';
import {
  canActFor,
  canAddDocuments,
  canCreateAccompanied,
  canDecide,
  canManageSchemes,
  canReadDocuments,
  canReadRequest,
  canRevokeGrant,
  canSeeGrantSummary,
  canWithdraw,
  canWorkQueue,
  requestPermissions,
  type Agent
} from './eligibility.policy.js';

const CCAS = 'org-ccas';
const ASSO = 'org-asso';
const DONOR = 'org-donor';
const PERSON = 'user-person';

const person: Agent = { userId: PERSON, isPlatformAdmin: false, memberships: [] };
const stranger: Agent = { userId: 'user-x', isPlatformAdmin: false, memberships: [] };
const admin: Agent = { userId: 'user-admin', isPlatformAdmin: true, memberships: [] };
const ccasAgent = (role: 'owner' | 'manager' | 'member'): Agent => ({
  userId: `user-ccas-${role}`,
  isPlatformAdmin: false,
  memberships: [{ organisationId: CCAS, role, kind: 'ccas' }]
});
const assoMember: Agent = {
  userId: 'user-asso',
  isPlatformAdmin: false,
  memberships: [{ organisationId: ASSO, role: 'member', kind: 'association' }]
};
const donorOwner: Agent = {
  userId: 'user-baker',
  isPlatformAdmin: false,
  memberships: [{ organisationId: DONOR, role: 'owner', kind: 'donor' }]
};

const request = (status: string, organisationId = CCAS) => ({ userId: PERSON, organisationId, status });

describe('eligibility policy', () => {
  it('lets only platform admins and CCAS owners/managers manage schemes', () => {
    expect(canManageSchemes(admin)).toBe(true);
    expect(canManageSchemes(ccasAgent('owner'))).toBe(true);
    expect(canManageSchemes(ccasAgent('manager'))).toBe(true);
    expect(canManageSchemes(ccasAgent('member'))).toBe(false);
    expect(canManageSchemes(assoMember)).toBe(false);
    expect(canManageSchemes(donorOwner)).toBe(false);
    expect(canManageSchemes(person)).toBe(false);
  });

  it('opens the queue to members of the social organisation only, any role', () => {
    for (const role of ['owner', 'manager', 'member'] as const) expect(canWorkQueue(ccasAgent(role), CCAS)).toBe(true);
    expect(canWorkQueue(assoMember, CCAS)).toBe(false);
    expect(canWorkQueue(admin, CCAS)).toBe(false);
    // A donor organisation never works a queue, even its owner of its own id.
    const donorAsIfQueue: Agent = { ...donorOwner };
    expect(canWorkQueue(donorAsIfQueue, DONOR)).toBe(false);
  });

  it('lets the person and the organisation asked read a request, nobody else (not even admins)', () => {
    const r = request('submitted');
    expect(canReadRequest(person, r)).toBe(true);
    expect(canReadRequest(ccasAgent('member'), r)).toBe(true);
    expect(canReadRequest(assoMember, r)).toBe(false);
    expect(canReadRequest(admin, r)).toBe(false);
    expect(canReadRequest(donorOwner, r)).toBe(false);
    expect(canReadRequest(stranger, r)).toBe(false);
  });

  it('opens documents to the organisation while undecided only, never to the person or admins', () => {
    expect(canReadDocuments(ccasAgent('member'), request('submitted'))).toBe(true);
    expect(canReadDocuments(ccasAgent('member'), request('incomplete'))).toBe(true);
    for (const status of ['granted', 'refused', 'withdrawn']) {
      expect(canReadDocuments(ccasAgent('owner'), request(status))).toBe(false);
    }
    expect(canReadDocuments(person, request('submitted'))).toBe(false);
    expect(canReadDocuments(admin, request('submitted'))).toBe(false);
    expect(canReadDocuments(assoMember, request('submitted'))).toBe(false);
  });

  it('lets the person or the desk add documents to an open request', () => {
    expect(canAddDocuments(person, request('incomplete'))).toBe(true);
    expect(canAddDocuments(ccasAgent('member'), request('submitted'))).toBe(true);
    expect(canAddDocuments(person, request('granted'))).toBe(false);
    expect(canAddDocuments(stranger, request('submitted'))).toBe(false);
    expect(canAddDocuments(assoMember, request('submitted'))).toBe(false);
  });

  it('lets members of the organisation asked decide; others cannot', () => {
    expect(canDecide(ccasAgent('member'), request('submitted'))).toBe(true);
    expect(canDecide(assoMember, request('submitted'))).toBe(false);
    expect(canDecide(assoMember, request('submitted', ASSO))).toBe(true);
    expect(canDecide(admin, request('submitted'))).toBe(false);
    expect(canDecide(person, request('submitted'))).toBe(false);
    expect(canDecide(donorOwner, request('submitted', DONOR))).toBe(false);
  });

  it('lets the person withdraw an open request only', () => {
    expect(canWithdraw(person, request('submitted'))).toBe(true);
    expect(canWithdraw(person, request('incomplete'))).toBe(true);
    expect(canWithdraw(person, request('granted'))).toBe(false);
    expect(canWithdraw(ccasAgent('owner'), request('submitted'))).toBe(false);
  });

  it('lets the granting organisation revoke', () => {
    expect(canRevokeGrant(ccasAgent('member'), { organisationId: CCAS })).toBe(true);
    expect(canRevokeGrant(assoMember, { organisationId: CCAS })).toBe(false);
    expect(canRevokeGrant(admin, { organisationId: CCAS })).toBe(false);
  });

  it('shows the grant summary to the person and social partners, not to donors or strangers', () => {
    expect(canSeeGrantSummary(person, PERSON)).toBe(true);
    expect(canSeeGrantSummary(assoMember, PERSON)).toBe(true);
    expect(canSeeGrantSummary(ccasAgent('member'), PERSON)).toBe(true);
    expect(canSeeGrantSummary(donorOwner, PERSON)).toBe(false);
    expect(canSeeGrantSummary(stranger, PERSON)).toBe(false);
    const platformMember: Agent = {
      userId: 'user-op',
      isPlatformAdmin: false,
      memberships: [{ organisationId: 'org-op', role: 'member', kind: 'platform' }]
    };
    expect(canSeeGrantSummary(platformMember, PERSON)).toBe(true);
  });

  it('lets the accompanying organisation create accounts and act for the person', () => {
    expect(canCreateAccompanied(ccasAgent('member'), CCAS)).toBe(true);
    expect(canCreateAccompanied(donorOwner, DONOR)).toBe(false);
    expect(canCreateAccompanied(assoMember, CCAS)).toBe(false);
    expect(canActFor(ccasAgent('member'), { organisationId: CCAS })).toBe(true);
    expect(canActFor(assoMember, { organisationId: CCAS })).toBe(false);
    expect(canActFor(ccasAgent('owner'), null)).toBe(false);
    expect(canActFor(admin, { organisationId: CCAS })).toBe(false);
  });

  it('sends the permissions with a request so the UI never guesses', () => {
    expect(requestPermissions(ccasAgent('member'), request('submitted'))).toEqual({
      canRead: true,
      canReadDocuments: true,
      canAddDocuments: true,
      canDecide: true,
      canWithdraw: false
    });
    expect(requestPermissions(person, request('granted'))).toEqual({
      canRead: true,
      canReadDocuments: false,
      canAddDocuments: false,
      canDecide: false,
      canWithdraw: false
    });
  });
});
