// First: @hono/zod-openapi adds .openapi() to zod schemas only when loaded before they are created
// (zod 4 copies methods onto each schema), and the modules below create the shared schemas.
import '@hono/zod-openapi';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { DB } from './db/schema.js';
import { createAccountsService, type AccountsService } from './modules/accounts/accounts.service.js';
import { createAuditService, type AuditService } from './modules/audit/audit.service.js';
import { createDirectoryService, type DirectoryService } from './modules/directory/directory.service.js';
import { createFreshnessService, type FreshnessService } from './modules/directory/freshness.service.js';
import { createPhotosService, type PhotosService } from './modules/directory/photos.service.js';
import {
  createDirectorySearch,
  type DirectorySearchService
} from './modules/directory/search.service.js';
import { createOpenDataService, type OpenDataService } from './modules/opendata/opendata.service.js';
import {
  createOrganisationsService,
  type OrganisationsService
} from './modules/organisations/organisations.service.js';
import { loadSealingKey, randomSealingKey, type SealingKey } from './modules/eligibility/sealed.js';
import { createRequestsService, type RequestsService } from './modules/eligibility/requests.service.js';
import { createSchemesService, type SchemesService } from './modules/eligibility/schemes.service.js';
import { createPeopleService, type PeopleService } from './modules/eligibility/people.service.js';
import { createPickupService, type PickupService } from './modules/marketplace/pickup.service.js';
import {
  createReservationsService,
  type ReservationsService
} from './modules/marketplace/reservations.service.js';
import { createFeedService, type FeedService } from './modules/marketplace/feed.service.js';
import { createOffersService, type OffersService } from './modules/marketplace/offers.service.js';
import { createSeriesService, type SeriesService } from './modules/marketplace/series.service.js';
import { createOfferPhotosService, type OfferPhotosService } from './modules/marketplace/offer-photos.service.js';
import { createMyOffersService, type MyOffersService } from './modules/marketplace/my-offers.service.js';
import { createNotify, type EmailTransport, type Notify, type SmsProvider } from './notify/notify.js';
import { createWebPushSender, loadVapidKeys, type PushSender, type VapidKeys } from './notify/push.js';
import { createInboxService, type InboxService } from './modules/notifications/inbox.service.js';
import { createOutboxService, type OutboxService } from './modules/notifications/outbox.service.js';
import { createAlertsService, type AlertsService } from './modules/notifications/alerts.service.js';
import { RateLimiter } from './rate-limiter.js';
import { watchWrites } from './db/write-watch.js';

/**
 * Everything built once at start and shared by the API and the pages (as `event.platform.services`).
 * Modules are plain functions closed over their dependencies; no container.
 */
export interface Services {
  config: Config;
  logger: Logger;
  database: Database;
  db: Kysely<DB>;
  /** The current time; tests replace it to move through expiries. */
  now: () => Date;
  /** Email and SMS out (or into the dev mailbox). */
  notify: Notify;
  /** In-memory rate limits shared by API and pages. */
  limiter: RateLimiter;
  /** Sign-up, sign-in, sessions, codes, password reset, account settings. */
  accounts: AccountsService;
  /** Organisations, memberships, invitations. */
  organisations: OrganisationsService;
  /** The audit log: record outside a transaction, list for platform admins. */
  audit: AuditService;
  /** The directory core: places, services, notices, stops, revisions, public place pages. */
  directory: DirectoryService;
  /** Photos of places: upload (resized, stripped of metadata), order, alternative text, public images. */
  photos: PhotosService;
  /** Update campaigns: emailed links through which organisations confirm or correct their places. */
  freshness: FreshnessService;
  /** Open data: data·inclusion exports and import, the HSDS 3.0 API, CSV. */
  openData: OpenDataService;
  /** The public directory search (no account needed). */
  directorySearch: DirectorySearchService;
  /** Key that encrypts a person's documents and card codes at rest (DOCUMENT_KEY or its key file). */
  sealingKey: SealingKey;
  /** Eligibility requests: households, requests, sealed proof documents, queues, decisions, grants. */
  eligibility: RequestsService;
  /** Schemes (dispositifs), their deciders, the territory's eligibility settings, the public simulator. */
  schemes: SchemesService;
  /** Accompanied people and their cards, what others see of a person, rights over data, retention and reminders. */
  people: PeopleService;
  /** Anti-waste offers (dons, M1): post, edit, cancel, list by donor organisation. */
  offers: OffersService;
  /** Recurring offers (M1): weekly rule + template, occurrences generated a week ahead. */
  offerSeries: SeriesService;
  offerPhotos: OfferPhotosService;
  myOffers: MyOffersService;
  /** Marketplace handover (M3): pickup code / card lookup, collect, donor cancel, no-shows and penalties. */
  pickup: PickupService;
  /** Marketplace reservations (M2): reserve (atomic, idempotent, limits), cancel, waiting list, pooling lottery. */
  reservations: ReservationsService;
  /** The feed of donations near a point for eligible people, and their saved area (M2). */
  feed: FeedService;
  /** A person's in-app notifications and Web Push subscriptions. */
  inbox: InboxService;
  /** The outbox worker: delivers queued notifications by email, SMS and Web Push, with retries. */
  outbox: OutboxService;
  /** Marketplace alerts written by jobs: pickup reminders, new offers in saved areas; their settings. */
  alerts: AlertsService;
}

export interface ServiceOptions {
  now?: () => Date;
  /** Replaces the SMTP transport built from SMTP_URL (tests). */
  emailTransport?: EmailTransport;
  /** Replaces the SMS provider chosen by SMS_PROVIDER (tests). */
  smsProvider?: SmsProvider;
  /** Replaces the Web Push sender (tests). */
  pushSender?: PushSender;
  /** The in-memory directory index: 'lazy' (default: loads on the first search or at start), 'wait' (tests), 'off'. */
  searchIndex?: 'lazy' | 'wait' | 'off';
}

/** Builds every module's service over one database and one configuration. */
export function createServices(
  config: Config,
  database: Database,
  logger: Logger,
  options: ServiceOptions = {}
): Services {
  const now = options.now ?? (() => new Date());
  // Every module writes through this handle: a write tells the directory index to read the
  // change log before its next search (writes by other processes: within a second).
  const writes = watchWrites(() => directorySearch.index?.markWritten());
  const db = database.db.withPlugin(writes);
  const notify = createNotify({
    db,
    config,
    logger,
    now,
    emailTransport: options.emailTransport,
    smsProvider: options.smsProvider
  });
  const limiter = new RateLimiter(now);
  // Tests without DOCUMENT_KEY get a key of their own in memory instead of writing a key file.
  const sealingKey =
    !config.DOCUMENT_KEY && config.NODE_ENV === 'test' ? randomSealingKey() : loadSealingKey(config);
  const accounts = createAccountsService({ db, config, now, notify, limiter, logger });
  const organisations = createOrganisationsService({ db, kind: database.kind, config, now, notify });
  const audit = createAuditService({ db });
  const directory = createDirectoryService({ db, kind: database.kind, config, now });
  const photos = createPhotosService({ db, config, now });
  const eligibility = createRequestsService({ db, config, now, sealingKey, notify, logger });
  const schemes = createSchemesService({ db, now, limiter });
  const people = createPeopleService({ db, config, now, sealingKey, limiter, notify, logger });
  const offers = createOffersService({ db, now });
  const offerSeries = createSeriesService({ db, now });
  const offerPhotos = createOfferPhotosService({ db, config, now });
  const myOffers = createMyOffersService({ db });
  const pickup = createPickupService({ db, now, limiter, people, sealingKey });
  const reservations = createReservationsService({ db, now, sealingKey });
  const feed = createFeedService({ db, now, reservations });
  // VAPID keys are read (or generated) on first use: most starts and tests never need them.
  let vapidKeys: VapidKeys | undefined;
  const vapid = () => (vapidKeys ??= loadVapidKeys(config));
  const inbox = createInboxService({ db, now, vapid });
  const alerts = createAlertsService({ db, now });
  const outbox = createOutboxService({
    db,
    notify,
    push: options.pushSender ?? createWebPushSender(vapid),
    publicUrl: config.PUBLIC_URL,
    now,
    logger
  });
  const freshness = createFreshnessService({ db, kind: database.kind, config, now, notify, limiter });
  const openData = createOpenDataService({ db, kind: database.kind, publicUrl: config.PUBLIC_URL, now });
  // The index reads through the plain handle (its own change-log pruning is not a directory write).
  const directorySearch = createDirectorySearch({
    db: database.db,
    kind: database.kind,
    now,
    staleAfterMonths: config.DIRECTORY_STALE_MONTHS,
    index: options.searchIndex ?? 'lazy',
    onIndexError: (err) => logger.warn({ err }, 'directory index: load or refresh failed, SQL answers')
  });
  return {
    config,
    logger,
    database,
    db,
    now,
    notify,
    limiter,
    accounts,
    organisations,
    audit,
    directory,
    photos,
    freshness,
    openData,
    directorySearch,
    sealingKey,
    eligibility,
    schemes,
    people,
    offers,
    offerSeries,
    offerPhotos,
    myOffers,
    pickup,
    reservations,
    feed,
    inbox,
    outbox,
    alerts
  };
}
