/**
 * Pure rules of the outbox worker: when to try again, when to give up, what a message says.
 */

/** Attempts before a delivery is marked `failed` for good. */
export const OUTBOX_MAX_ATTEMPTS = 6;
/** First retry after one minute, then doubling: 1, 2, 4, 8, 16 minutes … capped at 6 hours. */
export const OUTBOX_BASE_DELAY_MS = 60_000;
export const OUTBOX_MAX_DELAY_MS = 6 * 60 * 60 * 1000;
/**
 * A claimed row is pushed this far ahead while it is being delivered, so an overlapping tick (or
 * another process) does not take it; if the process dies mid-delivery, it is retried after the lease.
 */
export const OUTBOX_LEASE_MS = 5 * 60 * 1000;

/** Delay before the next attempt after `attempts` failed ones (1-based): exponential, capped. */
export function retryDelayMs(attempts: number): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(OUTBOX_BASE_DELAY_MS * 2 ** exponent, OUTBOX_MAX_DELAY_MS);
}

/** After a failed attempt (`attempts` counts it): retry at a time, or give up. */
export function afterFailure(
  attempts: number,
  at: Date,
  maxAttempts = OUTBOX_MAX_ATTEMPTS
): { status: 'pending'; nextAttemptAt: string } | { status: 'failed' } {
  if (attempts >= maxAttempts) return { status: 'failed' };
  return { status: 'pending', nextAttemptAt: new Date(at.getTime() + retryDelayMs(attempts)).toISOString() };
}

/** A link inside Glane made absolute for an email, SMS or push (only paths starting with one `/`). */
export function absoluteLink(publicUrl: string, link: string | null): string | null {
  if (!link || !link.startsWith('/') || link.startsWith('//')) return null;
  return `${publicUrl.replace(/\/+$/, '')}${link}`;
}

/** The email/SMS text of an inbox item: its body, then the link on its own line. */
export function messageText(body: string, link: string | null): string {
  return link ? `${body}\n\n${link}` : body;
}

/** The JSON the service worker reads in its `push` handler (kept small: push services cap ~4 KB). */
export function pushPayload(item: { title: string; body: string; link: string | null }): string {
  return JSON.stringify({
    title: item.title.slice(0, 120),
    body: item.body.slice(0, 600),
    link: item.link && item.link.startsWith('/') && !item.link.startsWith('//') ? item.link : '/notifications'
  });
}
