import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../errors.js';

/**
 * The notify layer: every email and SMS Glane sends goes through `Notify.send`. Three ways out:
 * the development mailbox (rows of `notification` with status `captured`, listed by a page instead of
 * being sent), SMTP through nodemailer, and an SMS provider behind a small interface.
 */

export type Channel = 'email' | 'sms';

export interface OutgoingMessage {
  channel: Channel;
  /** An email address or an E.164 phone number. */
  to: string;
  subject: string;
  text: string;
}

/** A message kept by the development mailbox. */
export interface CapturedMessage {
  id: string;
  channel: Channel;
  recipient: string;
  subject: string;
  body: string;
  createdAt: string;
}

/** What an SMS gateway must offer; add real providers beside `LogSmsProvider`. */
export interface SmsProvider {
  readonly name: string;
  send(to: string, text: string): Promise<void>;
}

/**
 * SMS "provider" for development and tests: records each message in memory and logs that one
 * was sent, with the number masked and without the text (it may hold a code).
 */
export class LogSmsProvider implements SmsProvider {
  readonly name = 'log';
  readonly sent: { to: string; text: string }[] = [];
  constructor(private readonly logger?: Logger) {}

  async send(to: string, text: string): Promise<void> {
    this.sent.push({ to, text });
    this.logger?.info({ to: `${to.slice(0, 3)}…${to.slice(-2)}` }, 'sms (log provider)');
  }
}

/** The part of a nodemailer transport Notify uses (tests pass a stream or JSON transport). */
export interface EmailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

/** An SMTP transport from `SMTP_URL` (smtp:// or smtps://user:pass@host:port). */
export function createSmtpTransport(url: string): EmailTransport {
  return nodemailer.createTransport(url);
}

export interface Notify {
  /** True when messages are only kept in the dev mailbox (a local write, never a network call). */
  readonly captures: boolean;
  /** Whether a channel can deliver at all in this configuration (SMS may be switched off). */
  canSend(channel: Channel): boolean;
  /** Sends (or captures) one message; throws `unavailable` when the channel is off or delivery fails. */
  send(message: OutgoingMessage): Promise<void>;
  /** The development mailbox, newest first. */
  listCaptured(options?: { limit?: number }): Promise<CapturedMessage[]>;
}

export interface NotifyDeps {
  db: Kysely<DB>;
  config: Pick<Config, 'DEV_MAILBOX' | 'SMTP_URL' | 'MAIL_FROM' | 'SMS_PROVIDER'>;
  logger: Logger;
  now: () => Date;
  /** Overrides the SMTP transport built from SMTP_URL. */
  emailTransport?: EmailTransport;
  /** Overrides the SMS provider chosen by SMS_PROVIDER. */
  smsProvider?: SmsProvider;
}

/** Builds the notify layer for a configuration: captured in the dev mailbox, or sent for real. */
export function createNotify(deps: NotifyDeps): Notify {
  const { db, config, logger, now } = deps;
  const email = deps.emailTransport ?? (config.SMTP_URL ? createSmtpTransport(config.SMTP_URL) : undefined);
  const sms = deps.smsProvider ?? (config.SMS_PROVIDER === 'log' ? new LogSmsProvider(logger) : undefined);

  function canSend(channel: Channel): boolean {
    if (config.DEV_MAILBOX) return true;
    return channel === 'email' ? email !== undefined : sms !== undefined;
  }

  async function send(message: OutgoingMessage): Promise<void> {
    if (config.DEV_MAILBOX) {
      await db
        .insertInto('notification')
        .values({
          id: randomUUID(),
          channel: message.channel,
          recipient: message.to,
          subject: message.subject,
          body: message.text,
          status: 'captured',
          attempts: 0,
          last_error: null,
          created_at: now().toISOString(),
          sent_at: null
        })
        .execute();
      return;
    }
    try {
      if (message.channel === 'email') {
        if (!email) throw new AppError('unavailable', 'Email is not configured (SMTP_URL)');
        await email.sendMail({ from: config.MAIL_FROM, to: message.to, subject: message.subject, text: message.text });
      } else {
        if (!sms) throw new AppError('unavailable', 'SMS is not configured (SMS_PROVIDER)');
        await sms.send(message.to, `${message.subject}\n${message.text}`);
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      // The error may name the recipient: log its kind only.
      logger.error({ channel: message.channel, error: (err as Error)?.name }, 'notification not delivered');
      throw new AppError('unavailable', 'The message could not be sent');
    }
  }

  async function listCaptured(options: { limit?: number } = {}): Promise<CapturedMessage[]> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    const rows = await db
      .selectFrom('notification')
      .select(['id', 'channel', 'recipient', 'subject', 'body', 'created_at'])
      .where('status', '=', 'captured')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      recipient: r.recipient,
      subject: r.subject,
      body: r.body,
      createdAt: r.created_at
    }));
  }

  return { captures: config.DEV_MAILBOX, canSend, send, listCaptured };
}
