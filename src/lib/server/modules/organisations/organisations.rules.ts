import type { MembershipRole } from '../../../schemas/organisations.js';
import { RESEAUX_PORTEURS } from '../../../schemas/reseaux-porteurs.js';

/** Pure rules of organisations, memberships and invitations: no I/O, tested without mocks. */

const SLUG_MAX = 60;

/**
 * A URL-safe slug from a name: accents and ligatures folded (`Œuvre de l'Épi` → `oeuvre-de-l-epi`),
 * lower case, runs of other characters become one dash. Never empty.
 */
export function slugify(name: string): string {
  const folded = name
    .replace(/[Œœ]/g, 'oe')
    .replace(/[Ææ]/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = folded.slice(0, SLUG_MAX).replace(/-+$/g, '');
  return cut || 'organisation';
}

/**
 * The first free slug among `base`, `base-2`, `base-3`… given the slugs already taken.
 * Organisations keep their slug for life, so a later rename never frees or steals one.
 */
export function uniqueSlug(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** How long an invitation link stays valid. */
export const INVITATION_TTL_DAYS = 7;

/** When an invitation created at `now` expires. */
export function invitationExpiresAt(now: Date): Date {
  return new Date(now.getTime() + INVITATION_TTL_DAYS * 24 * 60 * 60 * 1000);
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

/**
 * The state of an invitation at `now`. Accepted and revoked win over expired (they say what
 * happened); an invitation is usable only while `pending`.
 */
export function invitationStatus(
  invitation: { acceptedAt: string | null; revokedAt: string | null; expiresAt: string },
  now: Date
): InvitationStatus {
  if (invitation.acceptedAt) return 'accepted';
  if (invitation.revokedAt) return 'revoked';
  if (invitation.expiresAt <= now.toISOString()) return 'expired';
  return 'pending';
}

/**
 * True when changing a member from `currentRole` to `nextRole` (null: removing them) would leave the
 * organisation without an owner. `ownerCount` counts the owners before the change. An organisation
 * always keeps one owner, so someone can manage it; the last owner hands over first (or deletes it).
 */
export function leavesNoOwner(
  ownerCount: number,
  currentRole: MembershipRole,
  nextRole: MembershipRole | null
): boolean {
  return currentRole === 'owner' && nextRole !== 'owner' && ownerCount <= 1;
}

/** The French label of a network value (`restos-du-coeur` → `Restos du Coeur`), or the value itself. */
export function networkLabel(value: string): string {
  return RESEAUX_PORTEURS.find((r) => r.value === value)?.label ?? value;
}

/** The text indexed for search: the name, the city and the network's label. */
export function searchBody(org: { name: string; city: string | null; network: string | null }): string {
  return [org.name, org.city, org.network ? networkLabel(org.network) : null].filter(Boolean).join(' ');
}
