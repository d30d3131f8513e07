/**
 * Who may show a page of Glane in a frame. Every page refuses (`frame-ancestors 'none'` from
 * svelte.config.js, `X-Frame-Options: DENY` from app.ts); the embeddable directory widget
 * (`/widget`) is allowed to the origins of WIDGET_FRAME_ORIGINS. Pure functions, tested alone.
 */

/** The paths of the embeddable widget (its page and its data requests). */
export function isWidgetPath(pathname: string): boolean {
  return pathname === '/widget' || pathname.startsWith('/widget/');
}

/**
 * The source list of the widget's `frame-ancestors`: `'self'` (the generator page shows a preview)
 * plus the configured origins; `*` (the default) lets any website embed it. An empty list leaves
 * only Glane itself.
 */
export function widgetFrameSources(origins: readonly string[]): string[] {
  if (origins.includes('*')) return ['*'];
  return ["'self'", ...origins];
}

/**
 * The same Content-Security-Policy with its `frame-ancestors` directive replaced by `sources`
 * (appended when absent). The other directives, nonces and hashes included, are kept as they are:
 * SvelteKit builds the header per response with fresh nonces, so it is rewritten, never replaced.
 */
export function withFrameAncestors(csp: string, sources: readonly string[]): string {
  const value = `frame-ancestors ${sources.length > 0 ? sources.join(' ') : "'none'"}`;
  const directives = csp
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d.length > 0);
  let replaced = false;
  const out = directives.map((d) => {
    if (d.split(/\s+/)[0]?.toLowerCase() !== 'frame-ancestors') return d;
    if (replaced) return null; // a second one is ignored by browsers anyway: drop it
    replaced = true;
    return value;
  });
  const kept = out.filter((d): d is string => d !== null);
  if (!replaced) kept.push(value);
  return kept.join('; ');
}
