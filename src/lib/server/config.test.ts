import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives working defaults for an empty environment (SQLite, port 3000)', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.databaseKind).toBe('sqlite');
    expect(config.SQLITE_PATH).toBe('./data/glane.db');
    expect(config.PUBLIC_URL).toBe('http://localhost:3000');
    expect(config.DEV_MAILBOX).toBe(true);
    expect(config.isHttps).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('chooses PostgreSQL when DATABASE_URL is a postgres URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@localhost:5432/glane' });
    expect(config.databaseKind).toBe('postgres');
  });

  it('lists every bad variable, one line each, without echoing secrets', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://root:secret@x/db', LOG_LEVEL: 'loud', CORS_ORIGINS: 'not a url' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const lines = (caught as ConfigError).lines;
    expect(lines.map((l) => l.split('=')[0]).sort()).toEqual(['CORS_ORIGINS', 'DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect(lines.join('\n')).not.toContain('secret');
  });

  it('marks https public URLs so cookies get Secure, and turns the dev mailbox off with SMTP', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://glane.example.fr/', SMTP_URL: 'smtp://mail.example.fr:25' });
    expect(config.isHttps).toBe(true);
    expect(config.PUBLIC_URL).toBe('https://glane.example.fr');
    expect(config.DEV_MAILBOX).toBe(false);
  });

  it('never turns the dev mailbox on by default for a public https deployment, even without SMTP', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://glane.example.fr' }).DEV_MAILBOX).toBe(false);
    expect(loadConfig({ PUBLIC_URL: 'https://glane.example.fr', DEV_MAILBOX: 'true' }).DEV_MAILBOX).toBe(true);
  });

  it('parses CORS origins as a list', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.fr, https://b.fr' }).CORS_ORIGINS).toEqual(['https://a.fr', 'https://b.fr']);
  });

  it('defaults the address API to the national one, accepts another http(s) base without its trailing slash, refuses the rest', () => {
    expect(loadConfig({}).ADDRESS_API_URL).toBe('https://api-adresse.data.gouv.fr');
    expect(loadConfig({ ADDRESS_API_URL: 'http://127.0.0.1:7878/' }).ADDRESS_API_URL).toBe('http://127.0.0.1:7878');
    expect(() => loadConfig({ ADDRESS_API_URL: 'ftp://adresse.example' })).toThrow(ConfigError);
  });

  it('accepts TEST_CLOCK only with NODE_ENV=test, and says why otherwise', () => {
    expect(loadConfig({}).TEST_CLOCK).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', TEST_CLOCK: '1' }).TEST_CLOCK).toBe(true);
    for (const env of [{ TEST_CLOCK: '1' }, { NODE_ENV: 'development', TEST_CLOCK: 'true' }]) {
      let caught: unknown;
      try {
        loadConfig(env);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).lines).toEqual([expect.stringMatching(/^TEST_CLOCK=.*only accepted when NODE_ENV=test/)]);
    }
  });
});
