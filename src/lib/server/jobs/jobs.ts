import type { Services } from '../services.js';

export interface Job {
  name: string;
  everyMs: number;
  run(services: Services): Promise<unknown>;
  /**
   * Keeps its timer under the test clock (TEST_CLOCK=1). Jobs decide by the time (expiries,
   * deadlines, windows), so under the test clock they run only when a test asks
   * (`POST /api/test/jobs/<name>`): none can fire between the test moving the clock and asking.
   * Only a job that drains a queue the test fills, and decides nothing from the time but its
   * retry back-off, keeps its timer (the outbox worker: mail, SMS, push arrive as in real life).
   */
  timerUnderTestClock?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Scheduled housekeeping. Each job runs once shortly after start, then at its interval. */
export const JOBS: Job[] = [
  {
    // Also deletes sign-ups (phone or email) never confirmed nor used after UNVERIFIED_ACCOUNT_PURGE_HOURS.
    name: 'purge-expired-sessions-and-codes',
    everyMs: 60 * 60 * 1000,
    run: (services) => services.accounts.purgeExpired()
  },
  {
    // Person files without activity for PERSON_FILE_RETENTION_MONTHS, and proof documents of requests
    // still undecided after DOCUMENT_RETENTION_DAYS (CNIL: keep support files 2 years after the last contact);
    // photos of offers ended or cancelled more than OFFER_PHOTO_RETENTION_DAYS ago.
    name: 'eligibility-retention-purge',
    everyMs: DAY_MS,
    run: async (services) => ({
      files: await services.people.purgeInactiveFiles(),
      documents: await services.people.purgeStaleDocuments(),
      offerPhotos: await services.offerPhotos.purgeOldPhotos()
    })
  },
  {
    // One reminder per person, ELIGIBILITY_REMINDER_DAYS before an access ends (reminded_at: once).
    name: 'eligibility-expiry-reminders',
    everyMs: DAY_MS,
    run: (services) => services.people.sendExpiryReminders()
  },
  {
    // Confirmed reservations whose pickup window ended more than NO_SHOW_GRACE_MINUTES ago → no_show; the
    // person is told, with lowered limits after repeated no-shows (marketplace settings).
    name: 'marketplace-no-shows',
    everyMs: 5 * 60 * 1000,
    run: (services) => services.pickup.markNoShows()
  },
  {
    // Fair allocation: offers whose pooling window ended get their lottery (also run lazily on the next reserve).
    name: 'marketplace-pooling-lottery',
    everyMs: 60 * 1000,
    run: (services) => services.reservations.allocateDue()
  },
  {
    // Recurring offers: occurrences of the next 7 days (idempotent: unique series_id + occurrence_on).
    name: 'marketplace-series-occurrences',
    everyMs: 60 * 60 * 1000,
    run: (services) => services.offerSeries.generateDue()
  },
  {
    // The notification outbox (email, SMS, Web Push) with retries; rows are claimed conditionally.
    name: 'deliver-notifications',
    everyMs: 15_000,
    timerUnderTestClock: true,
    run: (services) => services.outbox.deliverDue()
  },
  {
    // Marketplace alerts: the reminder before a pickup window ends (once), new offers in saved areas.
    name: 'marketplace-alerts',
    everyMs: 60_000,
    run: async (services) => ({
      reminders: await services.alerts.sendPickupReminders(),
      newOffers: await services.alerts.sendNewOfferAlerts()
    })
  }
];

/**
 * The jobs to run on their timers: all of them, or under the test clock only those that keep their
 * timer (`timerUnderTestClock`); the others then run only through `POST /api/test/jobs/<name>`.
 */
export function jobsOnTimers(jobs: readonly Job[], options: { testClock: boolean }): Job[] {
  return options.testClock ? jobs.filter((j) => j.timerUnderTestClock === true) : [...jobs];
}

/**
 * Starts the jobs in this process (one process serves Glane, so no lock is needed). A failing run is
 * logged and retried at the next tick. Returns a function that stops every timer.
 */
export function startJobs(services: Services, jobs: Job[] = JOBS): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (const job of jobs) {
    // A short-interval job may outlast its interval: the next tick is skipped, not stacked.
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      job
        .run(services)
        .then((result) => services.logger.debug({ job: job.name, result }, 'job done'))
        .catch((err: unknown) => services.logger.error({ err, job: job.name }, 'job failed'))
        .finally(() => {
          running = false;
        });
    };
    const first = setTimeout(tick, 5_000);
    const every = setInterval(tick, job.everyMs);
    first.unref();
    every.unref();
    timers.push(first, every);
  }
  return () => timers.forEach((t) => clearTimeout(t));
}
