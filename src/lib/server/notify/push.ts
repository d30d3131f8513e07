import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import webpush from 'web-push';
import type { Config } from '../config.js';

/**
 * Web Push out: VAPID keys (from configuration, or generated once into a file beside the document
 * key) and a sender behind a small interface, so tests inject a fake and the outbox worker never
 * knows about `web-push`.
 */

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** `mailto:` or `https:` contact the push services may use. */
  subject: string;
}

/** A browser's push subscription, as PushManager.subscribe() gives it. */
export interface PushTarget {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** A push service's refusal; `statusCode` 404 or 410 means the subscription is gone for good. */
export class PushDeliveryError extends Error {
  constructor(readonly statusCode: number | null) {
    super(statusCode === null ? 'push not delivered' : `push service answered ${statusCode}`);
    this.name = 'PushDeliveryError';
  }
  get isGone(): boolean {
    return this.statusCode === 404 || this.statusCode === 410;
  }
}

/** What the outbox worker needs to deliver one push message. Rejects with `PushDeliveryError`. */
export interface PushSender {
  send(target: PushTarget, payload: string): Promise<void>;
}

type VapidConfig = Pick<
  Config,
  'VAPID_PUBLIC_KEY' | 'VAPID_PRIVATE_KEY' | 'VAPID_SUBJECT' | 'DOCUMENT_KEY_FILE' | 'PUBLIC_URL' | 'NODE_ENV'
>;

/** The file where generated keys are kept: beside the document key (keep it with the backups). */
export function vapidKeyFile(config: Pick<Config, 'DOCUMENT_KEY_FILE'>): string {
  return join(dirname(config.DOCUMENT_KEY_FILE), 'vapid.json');
}

function defaultSubject(config: Pick<Config, 'VAPID_SUBJECT' | 'PUBLIC_URL'>): string {
  if (config.VAPID_SUBJECT) return config.VAPID_SUBJECT;
  return `mailto:no-reply@${new URL(config.PUBLIC_URL).hostname}`;
}

/**
 * VAPID keys: VAPID_PUBLIC_KEY + VAPID_PRIVATE_KEY when set; else in tests fresh keys in memory; else
 * keys generated once with `webpush.generateVAPIDKeys()` into `vapid.json` beside DOCUMENT_KEY_FILE
 * (mode 0600). Changing them makes every browser subscription invalid (people subscribe again).
 */
export function loadVapidKeys(config: VapidConfig): VapidKeys {
  const subject = defaultSubject(config);
  if (Boolean(config.VAPID_PUBLIC_KEY) !== Boolean(config.VAPID_PRIVATE_KEY)) {
    throw new Error('Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither');
  }
  if (config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY) {
    return { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY, subject };
  }
  if (config.NODE_ENV === 'test') return { ...webpush.generateVAPIDKeys(), subject };
  const file = vapidKeyFile(config);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const keys = webpush.generateVAPIDKeys();
    writeFileSync(file, JSON.stringify(keys) + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { publicKey?: unknown; privateKey?: unknown };
  if (typeof stored.publicKey !== 'string' || typeof stored.privateKey !== 'string') {
    throw new Error(`${file} does not hold VAPID keys ({ publicKey, privateKey })`);
  }
  return { publicKey: stored.publicKey, privateKey: stored.privateKey, subject };
}

/** Sends through the `web-push` library with the given keys; messages live 12 hours at the push service. */
export function createWebPushSender(keys: () => VapidKeys): PushSender {
  return {
    async send(target, payload) {
      const vapid = keys();
      try {
        await webpush.sendNotification(target, payload, {
          vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
          TTL: 12 * 60 * 60
        });
      } catch (err) {
        const status = (err as { statusCode?: unknown })?.statusCode;
        throw new PushDeliveryError(typeof status === 'number' ? status : null);
      }
    }
  };
}
