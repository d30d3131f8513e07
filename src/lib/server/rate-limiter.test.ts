import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { RateLimiter } from './rate-limiter.js';

function clock(start = Date.parse('2026-11-29T10:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('RateLimiter', () => {
  it('allows up to the limit then refuses with retryAfter in seconds', () => {
    const c = clock();
    const limiter = new RateLimiter(c.now);
    for (let i = 0; i < 3; i++) limiter.consume('k', 3, 60_000);
    c.advance(20_000);
    let error: unknown;
    try {
      limiter.consume('k', 3, 60_000);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('rate_limited');
    expect((error as AppError).details?.retryAfter).toBe(40);
  });

  it('opens a new window once the old one has passed', () => {
    const c = clock();
    const limiter = new RateLimiter(c.now);
    limiter.consume('k', 1, 1000);
    expect(() => limiter.consume('k', 1, 1000)).toThrow(AppError);
    c.advance(1000);
    expect(() => limiter.consume('k', 1, 1000)).not.toThrow();
  });

  it('counts keys separately and forgets a reset key', () => {
    const limiter = new RateLimiter(clock().now);
    limiter.consume('a', 1, 1000);
    expect(() => limiter.consume('b', 1, 1000)).not.toThrow();
    expect(() => limiter.consume('a', 1, 1000)).toThrow(AppError);
    limiter.reset('a');
    expect(() => limiter.consume('a', 1, 1000)).not.toThrow();
  });

  it('does not count refused hits, so a blocked caller is not locked out longer', () => {
    const c = clock();
    const limiter = new RateLimiter(c.now);
    limiter.consume('k', 1, 1000);
    for (let i = 0; i < 5; i++) expect(() => limiter.consume('k', 1, 1000)).toThrow(AppError);
    c.advance(1000);
    expect(() => limiter.consume('k', 1, 1000)).not.toThrow();
  });

  it('gives back a released hit', () => {
    const limiter = new RateLimiter(clock().now);
    limiter.consume('k', 1, 1000);
    limiter.release('k');
    expect(() => limiter.consume('k', 1, 1000)).not.toThrow();
    expect(() => limiter.consume('k', 1, 1000)).toThrow(AppError);
    limiter.release('unknown');
  });
});
