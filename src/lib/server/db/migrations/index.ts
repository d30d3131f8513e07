import type { Migration } from 'kysely';
import * as foundation from './2026-11-29-001-foundation.js';
import * as directory from './2026-11-29-002-directory.js';
import * as placePhotos from './2026-11-29-003-place-photos.js';
import * as eligibility from './2026-11-29-010-eligibility.js';
import * as marketplace from './2026-11-29-030-marketplace.js';
import * as directoryChanges from './2026-11-29-041-directory-changes.js';
import * as reservationReminder from './2026-11-29-031-reservation-reminder.js';
import * as offerSafetyFlags from './2026-11-29-032-offer-safety-flags.js';
import * as offerPhotoThumb from './2026-11-29-033-offer-photo-thumb.js';
import * as searchStatistics from './2026-11-29-020-search-statistics.js';
import * as directoryGaps from './2026-11-29-034-directory-gaps.js';
import * as offerLotteryDue from './2026-11-29-044-offer-lottery-due.js';
import * as reservationPartner from './2026-11-29-045-reservation-partner.js';

/**
 * Every migration, by dated name. Listed statically (no directory scan) so the same list works
 * under tsx, vitest and a bundle. Names sort in the order they run.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-29-001-foundation': foundation,
  '2026-11-29-002-directory': directory,
  '2026-11-29-003-place-photos': placePhotos,
  '2026-11-29-010-eligibility': eligibility,
  '2026-11-29-020-search-statistics': searchStatistics,
  '2026-11-29-030-marketplace': marketplace,
  '2026-11-29-031-reservation-reminder': reservationReminder,
  '2026-11-29-032-offer-safety-flags': offerSafetyFlags,
  '2026-11-29-033-offer-photo-thumb': offerPhotoThumb,
  '2026-11-29-034-directory-gaps': directoryGaps,
  '2026-11-29-041-directory-changes': directoryChanges,
  '2026-11-29-044-offer-lottery-due': offerLotteryDue,
  '2026-11-29-045-reservation-partner': reservationPartner
};
