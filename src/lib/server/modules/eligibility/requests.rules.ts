import type { DocumentMediaType, RequestStatus } from '../../../schemas/eligibility-vocabulary.js';

// Dates of validity follow the eligibility rules (one definition for the simulator, requests and people).
export { addDays } from './eligibility.rules.js';

/**
 * Pure rules of requests (demandes): what a proof document is (from its first bytes, never its
 * name nor the Content-Type the client claims), dates of validity in the territory's calendar,
 * when a grant may be renewed, and the file name a document is downloaded under.
 */

const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d] as const; // "%PDF-"
const JPEG = [0xff, 0xd8, 0xff] as const;
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** The type of a proof document from its signature, or null when it is none of PDF, JPEG, PNG. */
export function sniffDocumentType(bytes: Uint8Array): DocumentMediaType | null {
  if (startsWith(bytes, PDF)) return 'application/pdf';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  return null;
}

const EXTENSIONS: Record<DocumentMediaType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png'
};

/**
 * The name a document is downloaded under: its label in plain ASCII (accents dropped, anything else
 * a dash), with the extension of its real type. The uploaded file's own name is never kept.
 */
export function documentFileName(label: string, mediaType: DocumentMediaType): string {
  const base = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[œŒ]/g, 'oe')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .toLowerCase();
  return `${base || 'document'}.${EXTENSIONS[mediaType]}`;
}

const PARIS_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit'
});

/** Today's date in the territory (Europe/Paris), `YYYY-MM-DD`, whatever the server's time zone. */
export function parisDate(now: Date): string {
  return PARIS_DATE.format(now);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Whether a request still waits for the organisation (documents readable, decision possible). */
export function isOpen(status: RequestStatus | string): boolean {
  return status === 'submitted' || status === 'incomplete';
}

/** A grant as the renewal rule sees it. */
export interface RenewableGrant {
  validUntil: string;
  revokedAt: string | null;
  isRenewable: boolean;
}

/**
 * Whether a grant may be renewed today: its scheme is renewable, it was not revoked, and it ends
 * within `windowDays` (the expiry reminder's window) or has already ended.
 */
export function canRenewGrant(grant: RenewableGrant, today: string, windowDays: number): boolean {
  if (!grant.isRenewable || grant.revokedAt !== null) return false;
  return daysBetween(today, grant.validUntil) <= windowDays;
}

/**
 * Whether a later access of the same scheme already follows `grant` (a renewal was granted): the
 * person has nothing left to renew for it.
 */
export function isSuperseded(
  grant: { id: string; schemeId: string; validUntil: string },
  all: readonly { id: string; schemeId: string; validUntil: string; revokedAt: string | null }[]
): boolean {
  return all.some((o) => o.id !== grant.id && o.schemeId === grant.schemeId && o.revokedAt === null && o.validUntil > grant.validUntil);
}

/** A grant that starts after `today` (a renewal granted before the end of the current access), unless revoked. */
export function isGrantUpcoming(grant: { validFrom: string; revokedAt: string | null }, today: string): boolean {
  return grant.revokedAt === null && grant.validFrom > today;
}

/** A grant is active from `validFrom` to `validUntil` inclusive, unless revoked. */
export function isGrantActive(grant: { validFrom: string; validUntil: string; revokedAt: string | null }, today: string): boolean {
  return grant.revokedAt === null && grant.validFrom <= today && today <= grant.validUntil;
}
