import { describe, expect, it } from 'vitest';
import { PLACE_SECTIONS } from '../../../schemas/directory.js';
import {
  canCreatePlace,
  canDeletePlace,
  canEditPlaceSection,
  canManageNotices,
  canManagePhotos,
  canManageServices,
  canVerifyPlace,
  canViewRevisions,
  placePermissionsFor,
  type Standing
} from './directory.policy.js';

const admin: Standing = { isPlatformAdmin: true, role: null };
const owner: Standing = { isPlatformAdmin: false, role: 'owner' };
const manager: Standing = { isPlatformAdmin: false, role: 'manager' };
const member: Standing = { isPlatformAdmin: false, role: 'member' };
const outsider: Standing = { isPlatformAdmin: false, role: null };

describe('directory policy', () => {
  it.each([
    ['admin', admin],
    ['owner', owner],
    ['manager', manager]
  ])('%s may do everything', (_name, s) => {
    expect(canCreatePlace(s)).toBe(true);
    for (const section of PLACE_SECTIONS) expect(canEditPlaceSection(s, section)).toBe(true);
    expect(canVerifyPlace(s)).toBe(true);
    expect(canDeletePlace(s)).toBe(true);
    expect(canManageServices(s)).toBe(true);
    expect(canManageNotices(s)).toBe(true);
    expect(canManagePhotos(s)).toBe(true);
    expect(canViewRevisions(s)).toBe(true);
  });

  it('a plain member keeps hours, notices and saturation fresh, and nothing else', () => {
    expect(PLACE_SECTIONS.filter((section) => canEditPlaceSection(member, section))).toEqual(['hours', 'status']);
    expect(canEditPlaceSection(member)).toBe(true);
    expect(canVerifyPlace(member)).toBe(true);
    expect(canManageNotices(member)).toBe(true);
    expect(canViewRevisions(member)).toBe(true);
    expect(canCreatePlace(member)).toBe(false);
    expect(canDeletePlace(member)).toBe(false);
    expect(canManageServices(member)).toBe(false);
    expect(canManagePhotos(member)).toBe(false);
  });

  it('an outsider (member of another organisation, or nobody) may change nothing', () => {
    expect(canCreatePlace(outsider)).toBe(false);
    for (const section of PLACE_SECTIONS) expect(canEditPlaceSection(outsider, section)).toBe(false);
    expect(canEditPlaceSection(outsider)).toBe(false);
    expect(canVerifyPlace(outsider)).toBe(false);
    expect(canDeletePlace(outsider)).toBe(false);
    expect(canManageServices(outsider)).toBe(false);
    expect(canManageNotices(outsider)).toBe(false);
    expect(canManagePhotos(outsider)).toBe(false);
    expect(canViewRevisions(outsider)).toBe(false);
  });

  it('lists the permissions of each standing for the UI', () => {
    expect(placePermissionsFor(member, PLACE_SECTIONS)).toEqual({
      canEdit: true,
      canEditSections: ['hours', 'status'],
      canVerify: true,
      canDelete: false,
      canManageServices: false,
      canManageNotices: true,
      canManagePhotos: false,
      canViewRevisions: true
    });
    expect(placePermissionsFor(outsider, PLACE_SECTIONS).canEditSections).toEqual([]);
    expect(placePermissionsFor(manager, PLACE_SECTIONS).canEditSections).toEqual([...PLACE_SECTIONS]);
  });
});
