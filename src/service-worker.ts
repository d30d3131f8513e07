/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

/**
 * Glane's service worker: keeps the app's built assets and static files for offline use, and the
 * prerendered offline page. Pages go to the network first; when it is gone, a page kept earlier is
 * shown if it was public (no `private`/`no-store`: signed-in pages are never kept), else the
 * offline page. `/api/` is never cached.
 */
const sw = self as unknown as ServiceWorkerGlobalScope;
const ASSETS = `glane-assets-${version}`;
const PAGES = `glane-pages-${version}`;
const OFFLINE = '/hors-ligne/';
const PRECACHE = [...build, ...files, OFFLINE];

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(ASSETS)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => sw.skipWaiting())
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== ASSETS && key !== PAGES).map((key) => caches.delete(key))))
      .then(() => sw.clients.claim())
  );
});

function isCacheablePage(response: Response): boolean {
  const control = response.headers.get('cache-control') ?? '';
  return response.ok && response.type === 'basic' && !/no-store|private/i.test(control);
}

async function page(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (isCacheablePage(response)) {
      const cache = await caches.open(PAGES);
      await cache.put(request, response.clone());
    }
    return response;
  } catch {
    const cached = await caches.match(request, { cacheName: PAGES });
    if (cached) return cached;
    // Go to the offline page's own address: its assets are linked relative to it.
    if (await caches.match(OFFLINE, { cacheName: ASSETS })) return Response.redirect(OFFLINE, 302);
    return new Response('Hors ligne / Offline', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
}

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/api') return;

  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname, { cacheName: ASSETS }).then((cached) => cached ?? fetch(request)));
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  }
});

/**
 * Web Push: the outbox worker sends `{ title, body, link }` (JSON). The notification opens `link`
 * (a path inside Glane) when tapped; nothing here touches the caches.
 */
interface PushMessage {
  title: string;
  body: string;
  link: string;
}

function readPush(event: PushEvent): PushMessage {
  const fallback = { title: 'Glane', body: '', link: '/notifications' };
  try {
    const data = (event.data?.json() ?? {}) as Partial<PushMessage>;
    const link = typeof data.link === 'string' && data.link.startsWith('/') && !data.link.startsWith('//') ? data.link : fallback.link;
    return {
      title: typeof data.title === 'string' && data.title ? data.title : fallback.title,
      body: typeof data.body === 'string' ? data.body : '',
      link
    };
  } catch {
    return { ...fallback, body: event.data?.text() ?? '' };
  }
}

sw.addEventListener('push', (event) => {
  const message = readPush(event);
  event.waitUntil(
    sw.registration.showNotification(message.title, {
      body: message.body,
      data: { link: message.link },
      icon: '/icons/icon-192.png',
      lang: 'fr'
    })
  );
});

sw.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const link = (event.notification.data as { link?: string } | null)?.link ?? '/notifications';
  const target = new URL(link, sw.location.origin).href;
  event.waitUntil(
    sw.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => w.url === target);
      if (open) return open.focus();
      return sw.clients.openWindow(target).then(() => undefined);
    })
  );
});
