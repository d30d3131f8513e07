import { describe, expect, it } from 'vitest';
import {
  absoluteLink,
  afterFailure,
  messageText,
  OUTBOX_BASE_DELAY_MS,
  OUTBOX_MAX_ATTEMPTS,
  OUTBOX_MAX_DELAY_MS,
  pushPayload,
  retryDelayMs
} from './outbox.rules.js';

describe('outbox rules', () => {
  it('doubles the delay after each failed attempt, capped', () => {
    expect(retryDelayMs(1)).toBe(OUTBOX_BASE_DELAY_MS);
    expect(retryDelayMs(2)).toBe(2 * OUTBOX_BASE_DELAY_MS);
    expect(retryDelayMs(5)).toBe(16 * OUTBOX_BASE_DELAY_MS);
    expect(retryDelayMs(40)).toBe(OUTBOX_MAX_DELAY_MS);
  });

  it('gives up after the last attempt', () => {
    const at = new Date('2026-11-29T10:00:00.000Z');
    expect(afterFailure(1, at)).toEqual({ status: 'pending', nextAttemptAt: '2026-11-29T10:01:00.000Z' });
    expect(afterFailure(OUTBOX_MAX_ATTEMPTS, at)).toEqual({ status: 'failed' });
    expect(afterFailure(2, at, 2)).toEqual({ status: 'failed' });
  });

  it('makes only inner paths absolute', () => {
    expect(absoluteLink('https://glane.example/', '/mes-reservations')).toBe('https://glane.example/mes-reservations');
    expect(absoluteLink('https://glane.example', '//evil.example')).toBeNull();
    expect(absoluteLink('https://glane.example', 'https://evil.example')).toBeNull();
    expect(absoluteLink('https://glane.example', null)).toBeNull();
  });

  it('writes the text and the push payload', () => {
    expect(messageText('Corps', 'https://g/x')).toBe('Corps\n\nhttps://g/x');
    expect(messageText('Corps', null)).toBe('Corps');
    expect(JSON.parse(pushPayload({ title: 'T', body: 'B', link: 'https://evil.example' }))).toEqual({
      title: 'T',
      body: 'B',
      link: '/notifications'
    });
  });
});
