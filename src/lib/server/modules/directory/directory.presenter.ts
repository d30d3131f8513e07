import type { Locale } from '../../../i18n/locale.js';
import type { PlacePermissions } from './directory.policy.js';
import type {
  NoticeRecord,
  OrganisationSummary,
  PlaceAggregate,
  PlaceFields,
  PlaceRecord,
  ServiceRecord,
  StopRecord
} from './directory.repository.js';
import { currentNotices, isStale, overridesFor, stopPeriod, type StopPeriod } from './directory.rules.js';
import type { PhotoRecord } from './photos.repository.js';
import { photoPath } from '../../photos/photos.rules.js';
import { describeOpening, openingState, parisDateKey, type OpeningState, type TemporaryOverride } from './hours.rules.js';

/**
 * Shapes directory records for the API and the pages: dates as ISO strings, the opening state of
 * the place and of each service at a given instant (with a sentence in French and English),
 * the notices still relevant, staleness, and the caller's permissions.
 */

export interface OpeningView {
  isOpen: boolean;
  unknown: boolean;
  nextChange: string | null;
  closesAt: string | null;
  opensAt: string | null;
  /** The temporary notice in force, else the next one starting soon. */
  notice: TemporaryOverride | null;
  comment: string | null;
  /** "Ouvert · ferme à 17:00" / "Open · closes at 17:00". */
  text: Record<Locale, string>;
}

export type ServiceView = Omit<ServiceRecord, 'source' | 'sourceId'> & {
  source: string;
  /** The hours that apply: the service's own, else the place's. */
  effectiveOpeningHours: string | null;
  opening: OpeningView;
};

export type PlaceView = PlaceRecord & {
  isStale: boolean;
  opening: OpeningView;
};

export interface PlaceDetail extends PlaceView {
  organisation: OrganisationSummary;
  services: ServiceView[];
  /** Temporary notices in effect or upcoming, by start date. */
  notices: NoticeRecord[];
  /**
   * Stops by position, each with where its validity stands today. Past stops (validTo before
   * today) only for those who may edit them; everyone else sees current and upcoming ones.
   */
  stops: StopView[];
  /** Version of the stop list: send it back when replacing the stops (optimistic concurrency). */
  stopsVersion: number;
  /** Photos in their order, with their addresses (no bytes, no uploader). */
  photos: PhotoView[];
  /** What the caller may do; null when signed out. */
  permissions: PlacePermissions | null;
}

export type StopView = StopRecord & { period: StopPeriod };

/** A photo of a place as published: its words, sizes and addresses (paths on this site). */
export interface PhotoView {
  id: string;
  /** 1 = shown first. */
  position: number;
  alt: string;
  width: number;
  height: number;
  url: string;
  thumb: { url: string; width: number; height: number };
  createdAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A photo ready to send; who uploaded it stays private. */
export function presentPhoto(p: PhotoRecord): PhotoView {
  return {
    id: p.id,
    position: p.position,
    alt: p.alt,
    width: p.width,
    height: p.height,
    url: photoPath(p.id, 'large'),
    thumb: { url: photoPath(p.id, 'thumb'), width: p.thumbWidth, height: p.thumbHeight },
    createdAt: p.createdAt
  };
}

/** The opening state of some hours at `at` with their overrides, ready to send. */
export function presentOpening(hours: string | null, at: Date, overrides: TemporaryOverride[]): OpeningView {
  const state: OpeningState = openingState(hours ?? '', at, overrides);
  return {
    isOpen: state.isOpen,
    unknown: state.unknown,
    nextChange: iso(state.nextChange),
    closesAt: iso(state.closesAt),
    opensAt: iso(state.opensAt),
    notice: state.notice,
    comment: state.comment ?? null,
    text: { fr: describeOpening(state, 'fr', at), en: describeOpening(state, 'en', at) }
  };
}

/** A place alone (lists): its fields, staleness and opening state. */
export function presentPlace(place: PlaceRecord, notices: NoticeRecord[], at: Date, staleMonths: number): PlaceView {
  return {
    ...place,
    isStale: isStale(place.verifiedAt, at, staleMonths),
    opening: presentOpening(place.openingHours, at, overridesFor(notices, null))
  };
}

/** A service with the hours that apply to it and its opening state. */
export function presentService(service: ServiceRecord, place: PlaceFields, notices: NoticeRecord[], at: Date): ServiceView {
  const hours = service.openingHours ?? place.openingHours;
  return {
    ...service,
    effectiveOpeningHours: hours,
    opening: presentOpening(hours, at, overridesFor(notices, service.id))
  };
}

/** A place page: the place, its organisation, services, current notices, stops, permissions. */
export function presentPlaceDetail(
  agg: PlaceAggregate,
  at: Date,
  staleMonths: number,
  permissions: PlacePermissions | null
): PlaceDetail {
  const today = parisDateKey(at);
  const notices = currentNotices(agg.notices, today);
  return {
    ...presentPlace(agg.place, notices, at, staleMonths),
    organisation: agg.organisation,
    services: agg.services.map((s) => presentService(s, agg.place, notices, at)),
    notices,
    stops: agg.stops
      .map((s) => ({ ...s, period: stopPeriod(s, today) }))
      .filter((s) => s.period !== 'past' || permissions?.canManageServices === true),
    stopsVersion: agg.stopsVersion,
    photos: agg.photos.map(presentPhoto),
    permissions
  };
}
