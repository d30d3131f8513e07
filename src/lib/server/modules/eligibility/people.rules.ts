import { createHash, randomInt } from 'node:crypto';
import { fieldError } from '../../errors.js';

/**
 * Pure rules of accompanied people and their cards: the short card code (alphabet, format, hash),
 * what the printed card may show, retention and reminder arithmetic, and what erasure keeps.
 * No I/O here; people.service.ts does the rest.
 */

/**
 * Letters and digits that cannot be misread on paper or over the phone: no 0/O, 1/I/L.
 * 31 symbols, 8 of them: 31^8 ≈ 8.5 × 10^11 codes, so guessing one (rate limited) is hopeless.
 */
export const CARD_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CARD_CODE_LENGTH = 8;

/** A fresh card code, crypto-random, normalised (8 symbols, no dash). */
export function generateCardCode(): string {
  let code = '';
  for (let i = 0; i < CARD_CODE_LENGTH; i++) code += CARD_ALPHABET[randomInt(CARD_ALPHABET.length)];
  return code;
}

/** `ABCDEFGH` → `ABCD-EFGH`, as printed and typed. */
export function formatCardCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * A typed code as stored: upper case, dashes and spaces removed. Throws a validation error naming
 * `field` when the result is not 8 symbols of the alphabet (0, O, 1, I, L are never printed: a card
 * read with one of them was misread, and the agent should look again rather than get a near match).
 */
export function normaliseCardCode(input: string, field = 'code'): string {
  const code = input.toUpperCase().replace(/[\s\-‐‑–—]/g, '');
  if (code.length !== CARD_CODE_LENGTH) {
    throw fieldError(field, `A card code has ${CARD_CODE_LENGTH} characters (XXXX-XXXX)`, 'invalid_length');
  }
  for (const ch of code) {
    if (!CARD_ALPHABET.includes(ch)) {
      throw fieldError(field, `"${ch}" is never used on cards (no 0, O, 1, I or L): check the card again`, 'invalid_character');
    }
  }
  return code;
}

/** sha256 hex of a normalised code: what the database looks cards up by. */
export function hashCardCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/** Printed card sizes: A6 sheet (105 × 148 mm) or ID-1, the credit-card size (85.6 × 54 mm). */
export const CARD_FORMATS = ['a6', 'id1'] as const;
export type CardFormat = (typeof CARD_FORMATS)[number];

const MM = 72 / 25.4;
/** Page size in PDF points (portrait A6, landscape ID-1). */
export function cardPageSize(format: CardFormat): [number, number] {
  return format === 'a6' ? [105 * MM, 148 * MM] : [85.6 * MM, 54 * MM];
}

/** The French line printed on every card. */
export const CARD_TAGLINE = 'Carte Glane — à présenter lors du retrait';

/**
 * Text a card's font can draw. `hasGlyph` says whether the embedded font (DejaVu Sans) has a code
 * point: such characters are kept as they are ("Łucja", "Nguyễn", "Олена"); a character it lacks is
 * folded to its base letters when the font has those (a rare accent), otherwise printed as `?`
 * (CJK, for instance: DejaVu has no ideographs — the agent may type a Latin spelling of the first
 * name for the card). Control characters become `?` too.
 */
export function cardText(text: string, hasGlyph: (codePoint: number) => boolean): string {
  const drawable = (ch: string): boolean => {
    const c = ch.codePointAt(0) ?? 0;
    return c >= 0x20 && !(c >= 0x7f && c < 0xa0) && hasGlyph(c);
  };
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (drawable(ch)) out += ch;
    else {
      const folded = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += folded.length > 0 && [...folded].every(drawable) ? folded : '?';
    }
  }
  return out;
}

/** `date` moved back by `months` calendar months (UTC; the 31st falls back to the month's last day). */
export function monthsBefore(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

// Validity dates are the territory's calendar days (Europe/Paris): the same helpers as requests.
export { addDays, parisDate } from './requests.rules.js';

/**
 * The moment a person's file was last active, from every trace of contact: household updates,
 * requests, decisions, grants (an access still running is an ongoing support: its end date
 * counts), cards issued, the accompaniment itself. Null when there is none.
 */
export function lastActivity(times: readonly (string | null | undefined)[]): string | null {
  let latest: string | null = null;
  for (const t of times) {
    if (!t) continue;
    // A bare date (valid_until) is the end of that day.
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T23:59:59.999Z` : t;
    if (latest === null || iso > latest) latest = iso;
  }
  return latest;
}

/** What the retention purge does with a person's account once the file is inactive. */
export type PurgeAccountFate = 'delete-account' | 'keep-account';

/**
 * Decided: an accompanied account with no way to sign in (no email, phone or password) exists
 * only as a support file, so it goes with the file; an account the person can use stays (only its
 * eligibility data is deleted) — the person decides about their own account.
 */
export function purgeAccountFate(user: {
  isAccompanied: boolean;
  email: string | null;
  phone: string | null;
  hasPassword: boolean;
  isPlatformAdmin: boolean;
  hasMemberships: boolean;
}): PurgeAccountFate {
  const canSignIn = user.email !== null || user.phone !== null || user.hasPassword;
  return user.isAccompanied && !canSignIn && !user.isPlatformAdmin && !user.hasMemberships ? 'delete-account' : 'keep-account';
}

/** One access ending soon, as the reminder names it. */
export interface EndingGrant {
  schemeName: string;
  schemeNameEn: string | null;
  organisationName: string;
  validUntil: string;
}

function frenchDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * The expiry reminder (one message per person, all their accesses ending soon). It names the
 * schemes and dates and who to ask for a renewal; never resources or documents.
 */
export function reminderMessage(
  locale: string,
  grants: readonly EndingGrant[],
  publicUrl: string
): { subject: string; text: string } {
  const link = `${publicUrl}/mon-dossier`;
  if (locale === 'en') {
    const lines = grants.map((g) => `- ${g.schemeNameEn ?? g.schemeName}: until ${g.validUntil} (${g.organisationName})`);
    return {
      subject: 'Glane: your access ends soon',
      text: `Your access ends soon:\n${lines.join('\n')}\nTo renew it, ask the organisation or make a request: ${link}`
    };
  }
  const lines = grants.map((g) => `- ${g.schemeName} : jusqu'au ${frenchDate(g.validUntil)} (${g.organisationName})`);
  return {
    subject: 'Glane : votre accès se termine bientôt',
    text: `Votre accès se termine bientôt :\n${lines.join('\n')}\nPour le renouveler, adressez-vous à l'organisation ou faites une demande : ${link}`
  };
}

/** What an account erasure keeps, and why, in French and English (the API's answer). */
export interface KeptAfterErasure {
  what: 'audit_log';
  fr: string;
  en: string;
}

export const KEPT_AFTER_ERASURE: readonly KeptAfterErasure[] = [
  {
    what: 'audit_log',
    fr:
      "Le journal d'audit garde les traces des actions (qui a fait ou consulté quoi, quand) sous forme d'identifiants, " +
      "sans nom, coordonnées, ressources ni documents : il sert à rendre des comptes sur les accès aux dossiers " +
      '(obligation de sécurité du RGPD, art. 32) et ne permet pas, seul, de vous identifier.',
    en:
      'The audit log keeps records of actions (who did or read what, and when) as identifiers, without name, contact, ' +
      'resources or documents: it is kept for accountability on who accessed files (GDPR security duty, art. 32) and ' +
      'does not identify you on its own.'
  }
];

export const ERASED_SUMMARY = {
  fr: 'Votre compte, vos sessions, votre foyer, vos demandes et leurs justificatifs, les décisions, vos accès et vos cartes ont été supprimés.',
  en: 'Your account, sessions, household, requests and their documents, decisions, accesses and cards have been deleted.'
} as const;

/** How many rows of each kind an erasure deleted. */
export interface ErasedCounts {
  household: number;
  requests: number;
  documents: number;
  decisions: number;
  grants: number;
  cards: number;
  accompaniment: number;
}

/** What an erasure did and kept (the answer of DELETE /account and of erasing an accompanied account). */
export interface ErasureReport {
  deleted: true;
  erased: ErasedCounts;
  summary: { fr: string; en: string };
  kept: KeptAfterErasure[];
}

export function erasureReport(erased: ErasedCounts): ErasureReport {
  return { deleted: true, erased, summary: { ...ERASED_SUMMARY }, kept: KEPT_AFTER_ERASURE.map((k) => ({ ...k })) };
}
