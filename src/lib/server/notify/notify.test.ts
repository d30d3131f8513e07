import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { AppError } from '../errors.js';
import { createNotify, LogSmsProvider, type EmailTransport } from './notify.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../tests/helpers/db.js';

const logger = createLogger('silent');
const base = { SMTP_URL: undefined, MAIL_FROM: 'Glane <no-reply@glane.test>', SMS_PROVIDER: 'none' as const };

describe.each(DIALECTS)('notify on %s', (kind) => {
  let database: TestDatabase;
  let t = Date.parse('2026-11-29T10:00:00.000Z');
  const now = () => new Date(t);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => database?.destroy());

  it('captures every channel in the dev mailbox, listed newest first within the limit', async () => {
    const notify = createNotify({ db: database.db, config: { ...base, DEV_MAILBOX: true }, logger, now });
    expect(notify.canSend('sms')).toBe(true);
    await notify.send({ channel: 'email', to: 'a@example.org', subject: 'first', text: 'one' });
    t += 1000;
    await notify.send({ channel: 'sms', to: '+33612345678', subject: 'second', text: 'two' });
    t += 1000;
    await notify.send({ channel: 'email', to: 'b@example.org', subject: 'third', text: 'three' });
    const all = await notify.listCaptured({ limit: 10 });
    expect(all.map((m) => m.subject)).toEqual(['third', 'second', 'first']);
    expect(all[1]).toMatchObject({ channel: 'sms', recipient: '+33612345678', body: 'two' });
    expect((await notify.listCaptured({ limit: 2 })).map((m) => m.subject)).toEqual(['third', 'second']);
  });

  it('sends email through the SMTP transport, not into the mailbox', async () => {
    const sent: unknown[] = [];
    const json = nodemailer.createTransport({ jsonTransport: true });
    const transport: EmailTransport = {
      sendMail: async (message) => {
        const info = await json.sendMail(message);
        sent.push(JSON.parse(String(info.message)));
        return info;
      }
    };
    const notify = createNotify({
      db: database.db,
      config: { ...base, DEV_MAILBOX: false },
      logger,
      now,
      emailTransport: transport
    });
    const before = (await notify.listCaptured({ limit: 100 })).length;
    await notify.send({ channel: 'email', to: 'c@example.org', subject: 'Bonjour', text: 'Texte' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ subject: 'Bonjour', text: 'Texte', from: { address: 'no-reply@glane.test' } });
    expect((await notify.listCaptured({ limit: 100 })).length).toBe(before);
  });

  it('turns a delivery failure into `unavailable`', async () => {
    const notify = createNotify({
      db: database.db,
      config: { ...base, DEV_MAILBOX: false },
      logger,
      now,
      emailTransport: { sendMail: async () => Promise.reject(new Error('connection refused to c@example.org')) }
    });
    await expect(notify.send({ channel: 'email', to: 'c@example.org', subject: 's', text: 't' })).rejects.toMatchObject({
      code: 'unavailable'
    });
  });

  it('sends SMS through the log provider, which records them', async () => {
    const sms = new LogSmsProvider();
    const notify = createNotify({ db: database.db, config: { ...base, DEV_MAILBOX: false }, logger, now, smsProvider: sms });
    await notify.send({ channel: 'sms', to: '+33612345678', subject: 'Glane', text: 'Code 123456' });
    expect(sms.sent).toEqual([{ to: '+33612345678', text: 'Glane\nCode 123456' }]);
  });

  it('says a channel is off when nothing is configured for it', async () => {
    const notify = createNotify({ db: database.db, config: { ...base, DEV_MAILBOX: false }, logger, now });
    expect(notify.canSend('email')).toBe(false);
    expect(notify.canSend('sms')).toBe(false);
    await expect(notify.send({ channel: 'sms', to: '+33612345678', subject: 's', text: 't' })).rejects.toBeInstanceOf(AppError);
    const withLog = createNotify({ db: database.db, config: { ...base, DEV_MAILBOX: false, SMS_PROVIDER: 'log' }, logger, now });
    expect(withLog.canSend('sms')).toBe(true);
  });
});
