/**
 * Built once at build time: the service worker keeps it and shows it when the network is gone.
 * Written as `hors-ligne/index.html` (trailing slash) so the server's static handler finds it.
 */
export const prerender = true;
export const trailingSlash = 'always';
