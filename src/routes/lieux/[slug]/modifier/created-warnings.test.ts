import type { Cookies } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { editPath, rememberCreationWarnings, takeCreationWarnings } from './created-warnings';

/** A cookie jar that keeps what was set, with its options, like a browser would for one path. */
function jar() {
  const store = new Map<string, { value: string; options: Record<string, unknown> }>();
  const cookies = {
    get: (name: string) => store.get(name)?.value,
    set: (name: string, value: string, options: Record<string, unknown>) => void store.set(name, { value, options }),
    delete: (name: string) => void store.delete(name)
  } as unknown as Cookies;
  return { cookies, store };
}

describe('warnings of a place creation across the redirect', () => {
  it('are kept in an HttpOnly cookie of the editing page only, briefly, and read once by their author', () => {
    const { cookies, store } = jar();
    rememberCreationWarnings(cookies, 'epicerie-lille', 'user-1', ['Les horaires seront enregistrés sous la forme : Mo-Fr 09:00-12:00'], true);
    const cookie = [...store.values()][0]!;
    expect(cookie.options).toMatchObject({ path: '/lieux/epicerie-lille/modifier', httpOnly: true, sameSite: 'lax', secure: true });
    expect(cookie.options.maxAge).toBeLessThanOrEqual(300);
    expect(editPath('epicerie-lille')).toBe('/lieux/epicerie-lille/modifier');
    expect(takeCreationWarnings(cookies, 'epicerie-lille', 'user-1')).toEqual(['Les horaires seront enregistrés sous la forme : Mo-Fr 09:00-12:00']);
    expect(takeCreationWarnings(cookies, 'epicerie-lille', 'user-1')).toEqual([]);
  });

  it('sets nothing without warnings, and shows nothing to another user or from a tampered cookie', () => {
    const { cookies, store } = jar();
    rememberCreationWarnings(cookies, 'a', 'user-1', [], false);
    expect(store.size).toBe(0);
    rememberCreationWarnings(cookies, 'a', 'user-1', ['x'], false);
    expect(takeCreationWarnings(cookies, 'a', 'user-2')).toEqual([]);
    expect(store.size).toBe(0); // forgotten all the same
    cookies.set('glane_place_created', '{not json', { path: '/' });
    expect(takeCreationWarnings(cookies, 'a', 'user-1')).toEqual([]);
  });

  it('keeps at most five warnings of 300 characters', () => {
    const { cookies } = jar();
    rememberCreationWarnings(cookies, 'a', 'u', Array.from({ length: 8 }, () => 'w'.repeat(400)), false);
    const taken = takeCreationWarnings(cookies, 'a', 'u');
    expect(taken).toHaveLength(5);
    expect(taken.every((w) => w.length === 300)).toBe(true);
  });
});
