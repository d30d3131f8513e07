import { createHash, randomBytes } from 'node:crypto';
import { parisDateKey } from './hours.rules.js';

/**
 * Pure rules of the update campaign ("campagne de mise à jour"): who may start one, how long a link
 * lives, how a token is made and stored. No database, no clock of its own.
 */

export const DEFAULT_VALID_DAYS = 30;
export const MAX_VALID_DAYS = 90;
/** Token attempts allowed per IP address and window (against guessing links). */
export const TOKEN_ATTEMPTS_PER_WINDOW = 60;
export const TOKEN_WINDOW_MS = 15 * 60 * 1000;

/** Campaign names: short, lower-case slugs such as `2026-automne`. */
export const CAMPAIGN_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Who asks: platform admins, or owners/managers of at least one CCAS. */
export interface CampaignStanding {
  isPlatformAdmin: boolean;
  /** Roles held in organisations of kind `ccas`. */
  ccasRoles: readonly ('owner' | 'manager' | 'member')[];
}

/** Platform admins and CCAS owners/managers may start a campaign (the CCAS runs the local directory). */
export function canStartCampaign(s: CampaignStanding): boolean {
  return s.isPlatformAdmin || s.ccasRoles.some((r) => r === 'owner' || r === 'manager');
}

/** A fresh link token: 32 random bytes, base64url (43 characters); only its sha256 is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a token (hex sha256): a database leak yields no usable link. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token that could have been made by `newToken` (cheap rejection before any lookup). */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** When a link made at `now` for `validDays` days expires (ISO string). */
export function expiryFor(now: Date, validDays: number): string {
  return new Date(now.getTime() + validDays * 24 * 60 * 60 * 1000).toISOString();
}

/** A link is live strictly before its expiry. */
export function isLinkLive(expiresAt: string, now: Date): boolean {
  return now.toISOString() < expiresAt;
}

/** The label written on revisions made through a link (no user account behind it). */
export function linkActorLabel(campaign: string): string {
  return `lien de mise à jour (campagne ${campaign})`;
}

/**
 * A campaign name for a start at `now`: year and season in Paris (`2026-automne`), the rhythm of
 * the twice-yearly campaigns. December to February is the winter of December's year.
 */
export function suggestCampaignName(now: Date): string {
  const [year, month] = parisDateKey(now).split('-').map(Number) as [number, number];
  if (month >= 3 && month <= 5) return `${year}-printemps`;
  if (month >= 6 && month <= 8) return `${year}-ete`;
  if (month >= 9 && month <= 11) return `${year}-automne`;
  return `${month === 12 ? year : year - 1}-hiver`;
}

/** The email sent to an organisation: French first, English below. */
export function campaignEmail(organisationName: string, url: string, expiresAt: string): { subject: string; text: string } {
  const day = expiresAt.slice(0, 10);
  return {
    subject: 'Glane : vos lieux sont-ils à jour ? / Are your places up to date?',
    text: [
      `Bonjour ${organisationName},`,
      '',
      "Les personnes qui cherchent de l'aide alimentaire consultent vos horaires sur Glane.",
      "Pouvez-vous vérifier vos lieux ? Un clic suffit si rien n'a changé :",
      url,
      `Ce lien personnel est valable jusqu'au ${day}, sans mot de passe. Ne le transférez pas.`,
      '',
      'Hello, please check that your places on Glane are up to date (one click if nothing changed):',
      url,
      `This personal link is valid until ${day}, no password needed. Do not forward it.`
    ].join('\n')
  };
}
