import { describe, expect, it } from 'vitest';
import type { MembershipRole } from '../../../schemas/organisations.js';
import {
  canChangeRole,
  canDeleteOrganisation,
  canInvite,
  canListMembers,
  canManageInvitations,
  canRemoveMember,
  canUpdateOrganisation,
  canViewOrganisation,
  canViewPrivate,
  permissionsFor,
  type Standing
} from './organisations.policy.js';

type Who = 'admin' | 'owner' | 'manager' | 'member' | 'outsider' | 'anonymous';
const WHO: Who[] = ['admin', 'owner', 'manager', 'member', 'outsider', 'anonymous'];
const standing: Record<Who, Standing> = {
  admin: { isPlatformAdmin: true, role: null },
  owner: { isPlatformAdmin: false, role: 'owner' },
  manager: { isPlatformAdmin: false, role: 'manager' },
  member: { isPlatformAdmin: false, role: 'member' },
  outsider: { isPlatformAdmin: false, role: null },
  anonymous: { isPlatformAdmin: false, role: null }
};
const ROLES: MembershipRole[] = ['owner', 'manager', 'member'];

/** Expected answer per caller, in WHO order. */
function row(...answers: boolean[]): Record<Who, boolean> {
  return Object.fromEntries(WHO.map((w, i) => [w, answers[i]])) as Record<Who, boolean>;
}

const simple: Array<[string, (s: Standing) => boolean, Record<Who, boolean>]> = [
  //                                               admin owner manager member outsider anonymous
  ['view public fields', canViewOrganisation, row(true, true, true, true, true, true)],
  ['view private parts', canViewPrivate, row(true, true, true, true, false, false)],
  ['update organisation', canUpdateOrganisation, row(true, true, true, false, false, false)],
  ['delete organisation', canDeleteOrganisation, row(true, true, false, false, false, false)],
  ['list members', canListMembers, row(true, true, true, true, false, false)],
  ['invite at all', (s) => canInvite(s), row(true, true, true, false, false, false)],
  ['manage invitations', canManageInvitations, row(true, true, true, false, false, false)]
];

describe.each(simple)('%s', (_action, policy, expected) => {
  it.each(WHO)('for %s', (who) => {
    expect(policy(standing[who])).toBe(expected[who]);
  });
});

describe('invite with a role', () => {
  const expected: Record<Who, Record<MembershipRole, boolean>> = {
    admin: { owner: true, manager: true, member: true },
    owner: { owner: true, manager: true, member: true },
    manager: { owner: false, manager: true, member: true },
    member: { owner: false, manager: false, member: false },
    outsider: { owner: false, manager: false, member: false },
    anonymous: { owner: false, manager: false, member: false }
  };
  for (const who of WHO) {
    for (const role of ROLES) {
      it(`${who} inviting a ${role}: ${expected[who][role]}`, () => {
        expect(canInvite(standing[who], role)).toBe(expected[who][role]);
      });
    }
  }
});

describe('change a role', () => {
  // Manager: only member → manager. Admin and owner: everything. Others: nothing.
  for (const who of WHO) {
    for (const from of ROLES) {
      for (const to of ROLES) {
        const expected =
          who === 'admin' || who === 'owner' ? true : who === 'manager' ? from === 'member' && to === 'manager' : false;
        it(`${who} changing ${from} → ${to}: ${expected}`, () => {
          expect(canChangeRole(standing[who], from, to)).toBe(expected);
        });
      }
    }
  }
});

describe('remove a member', () => {
  for (const who of WHO) {
    for (const target of ROLES) {
      const expected = who === 'admin' || who === 'owner' ? true : who === 'manager' ? target === 'member' : false;
      it(`${who} removing a ${target}: ${expected}`, () => {
        expect(canRemoveMember(standing[who], target, false)).toBe(expected);
      });
    }
  }
  it.each(['owner', 'manager', 'member'] as const)('a %s may always leave', (who) => {
    expect(canRemoveMember(standing[who], standing[who].role ?? undefined, true)).toBe(true);
  });
  it('a non-member cannot "leave"', () => {
    expect(canRemoveMember(standing.outsider, 'member', true)).toBe(false);
  });
});

describe('permissionsFor', () => {
  it('gives a plain member reading rights and leaving only', () => {
    expect(permissionsFor(standing.member)).toEqual({
      canViewPrivate: true,
      canUpdate: false,
      canDelete: false,
      canListMembers: true,
      canInvite: false,
      canInviteOwner: false,
      canManageInvitations: false,
      canChangeRoles: false,
      canRemoveMembers: false,
      canLeave: true
    });
  });
  it('gives a manager everything but deleting and inviting owners', () => {
    const p = permissionsFor(standing.manager);
    expect(p.canUpdate && p.canInvite && p.canChangeRoles && p.canRemoveMembers).toBe(true);
    expect(p.canDelete || p.canInviteOwner).toBe(false);
  });
  it('gives an admin who is not a member everything but leaving', () => {
    const p = permissionsFor(standing.admin);
    expect(Object.entries(p).filter(([, v]) => !v).map(([k]) => k)).toEqual(['canLeave']);
  });
  it('gives an outsider nothing', () => {
    expect(Object.values(permissionsFor(standing.outsider)).some(Boolean)).toBe(false);
  });
});
