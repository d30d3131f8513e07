import { AppError } from './errors.js';

interface Window {
  count: number;
  resetAt: number;
}

/**
 * In-memory fixed-window rate limiter, keyed by any string (`sign-in:ip:1.2.3.4`). One process
 * serves Glane, so memory is the right store; counters are lost on restart, which only forgives.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /**
   * Counts one hit on `key`; throws `rate_limited` with `retryAfter` (seconds) when the key
   * already had `limit` hits in the current window of `windowMs`.
   */
  consume(key: string, limit: number, windowMs: number): void {
    const t = this.now().getTime();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= t) {
      if (this.windows.size > 10_000) this.prune(t);
      window = { count: 0, resetAt: t + windowMs };
      this.windows.set(key, window);
    }
    if (window.count >= limit) {
      const retryAfter = Math.max(1, Math.ceil((window.resetAt - t) / 1000));
      throw new AppError('rate_limited', 'Too many attempts, try again later', { retryAfter });
    }
    window.count += 1;
  }

  /**
   * Gives back one hit on `key` (e.g. a sign-in that succeeded: limits exist against guessing,
   * so only failures should use them up).
   */
  release(key: string): void {
    const window = this.windows.get(key);
    if (window && window.count > 0) window.count -= 1;
  }

  /** Forgets a key (e.g. after a successful action that should not count against the caller). */
  reset(key: string): void {
    this.windows.delete(key);
  }

  /** Forgets every key (tests). */
  clear(): void {
    this.windows.clear();
  }

  private prune(t: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= t) this.windows.delete(key);
  }
}
