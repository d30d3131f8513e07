import type { PlaceSection } from '../../../schemas/directory.js';
import type { Standing } from '../organisations/organisations.policy.js';

export type { Standing } from '../organisations/organisations.policy.js';

/**
 * Who may change what in the directory: pure functions of the caller's standing in the place's
 * organisation, tested for every role × action. Reading the public directory needs nothing.
 *
 * Decided: owners and managers edit everything of their organisation's places (identity, address,
 * contact, services, stops, deletion). Plain members — often volunteers on site — keep the
 * day-to-day facts fresh: opening hours, temporary notices, saturation, and "nothing changed"
 * verification, because stale hours are the directory's main quality problem and those who open
 * the door know them best. Platform admins edit all. Anyone else gets 403 `forbidden`.
 */

/** Sections a plain member may edit. */
const MEMBER_SECTIONS: ReadonlySet<PlaceSection> = new Set<PlaceSection>(['hours', 'status']);

const isManager = (s: Standing) => s.isPlatformAdmin || s.role === 'owner' || s.role === 'manager';
const isMember = (s: Standing) => s.isPlatformAdmin || s.role !== null;

/** Create a place for the organisation. */
export function canCreatePlace(s: Standing): boolean {
  return isManager(s);
}

/** Edit one section of a place; without `section`: whether the caller may edit some section. */
export function canEditPlaceSection(s: Standing, section?: PlaceSection): boolean {
  if (isManager(s)) return true;
  if (s.role === null) return false;
  return section === undefined || MEMBER_SECTIONS.has(section);
}

/** Confirm that nothing changed (sets verifiedAt). */
export function canVerifyPlace(s: Standing): boolean {
  return isMember(s);
}

export function canDeletePlace(s: Standing): boolean {
  return isManager(s);
}

/** Create, update or delete services of a place (and a mobile place's stops). */
export function canManageServices(s: Standing): boolean {
  return isManager(s);
}

/** Add or remove temporary closures and temporary hours. */
export function canManageNotices(s: Standing): boolean {
  return isMember(s);
}

/**
 * Add, describe, reorder or remove the photos of a place: who may edit its identity (owners,
 * managers, admins), since photos present the place as much as its name and description do.
 */
export function canManagePhotos(s: Standing): boolean {
  return canEditPlaceSection(s, 'identity');
}

/** Browse the change history of a place. */
export function canViewRevisions(s: Standing): boolean {
  return isMember(s);
}

/** What the caller may do on a place, sent with it so the UI never guesses. */
export interface PlacePermissions {
  canEdit: boolean;
  canEditSections: PlaceSection[];
  canVerify: boolean;
  canDelete: boolean;
  canManageServices: boolean;
  canManageNotices: boolean;
  canManagePhotos: boolean;
  canViewRevisions: boolean;
}

/** All permissions of a standing at once. */
export function placePermissionsFor(s: Standing, sections: readonly PlaceSection[]): PlacePermissions {
  return {
    canEdit: canEditPlaceSection(s),
    canEditSections: sections.filter((section) => canEditPlaceSection(s, section)),
    canVerify: canVerifyPlace(s),
    canDelete: canDeletePlace(s),
    canManageServices: canManageServices(s),
    canManageNotices: canManageNotices(s),
    canManagePhotos: canManagePhotos(s),
    canViewRevisions: canViewRevisions(s)
  };
}
