import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { loadVapidKeys, vapidKeyFile } from './push.js';

describe('VAPID keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glane-vapid-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates keys once into vapid.json beside the document key, then reuses them', () => {
    const config = loadConfig({ NODE_ENV: 'development', DOCUMENT_KEY_FILE: join(dir, 'document.key'), PUBLIC_URL: 'https://glane.example' });
    const first = loadVapidKeys(config);
    expect(vapidKeyFile(config)).toBe(join(dir, 'vapid.json'));
    expect(statSync(join(dir, 'vapid.json')).mode & 0o777).toBe(0o600);
    expect(Buffer.from(first.publicKey, 'base64url')).toHaveLength(65);
    expect(first.subject).toBe('mailto:no-reply@glane.example');
    expect(loadVapidKeys(config)).toEqual(first);
    expect(JSON.parse(readFileSync(join(dir, 'vapid.json'), 'utf8')).publicKey).toBe(first.publicKey);
  });

  it('takes configured keys and subject, and refuses half a pair or a bad key', () => {
    const pub = Buffer.alloc(65, 4).toString('base64url');
    const priv = Buffer.alloc(32, 7).toString('base64url');
    const config = loadConfig({ VAPID_PUBLIC_KEY: pub, VAPID_PRIVATE_KEY: priv, VAPID_SUBJECT: 'mailto:ccas@ville.example' });
    expect(loadVapidKeys(config)).toEqual({ publicKey: pub, privateKey: priv, subject: 'mailto:ccas@ville.example' });
    expect(() => loadVapidKeys(loadConfig({ VAPID_PUBLIC_KEY: pub }))).toThrow(/both/);
    expect(() => loadConfig({ VAPID_PRIVATE_KEY: 'short' })).toThrow(/VAPID_PRIVATE_KEY=\(hidden\)/);
    expect(() => loadConfig({ VAPID_SUBJECT: 'ccas@ville.example' })).toThrow(/VAPID_SUBJECT/);
  });

  it('keeps keys in memory in tests', () => {
    const config = loadConfig({ NODE_ENV: 'test', DOCUMENT_KEY_FILE: join(dir, 'none', 'document.key') });
    expect(loadVapidKeys(config).publicKey).toBeTruthy();
    expect(() => statSync(join(dir, 'none'))).toThrow();
  });
});
