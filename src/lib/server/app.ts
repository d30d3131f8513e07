import { randomUUID } from 'node:crypto';
import { serveStatic } from '@hono/node-server/serve-static';
import { compress } from 'hono/compress';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { buildApi } from './api.js';
import { AppError } from './errors.js';
import { isWidgetPath, widgetFrameSources, withFrameAncestors } from './http/frame-ancestors.js';
import type { AppEnv } from './http/env.js';
import { handleError } from './http/errors.js';
import type { Services } from './services.js';
import type { Job } from './jobs/jobs.js';
import { testControlRoutes, type TestClock } from './testing/test-clock.js';

/** What the root app needs from SvelteKit's built server (see sveltekit.ts). */
export interface PageRenderer {
  respond(request: Request, options: { platform: App.Platform; getClientAddress(): string }): Promise<Response>;
  /** Directory of the built client assets (`build/client`). */
  clientDir: string;
  /** Directory of prerendered pages (`build/prerendered`). */
  prerenderedDir: string;
}

export interface AppOptions {
  /** SvelteKit's built server; absent in API-only tests. */
  pages?: PageRenderer;
  /** Reads the caller's address (from the socket); tests pass a fixed one. */
  clientAddress?: (c: import('hono').Context) => string;
  /** TEST_CLOCK=1 with NODE_ENV=test only: the clock and jobs that `/api/test/*` moves and runs. */
  testControl?: { clock: TestClock; jobs: Job[] };
}

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The one HTTP app: request id and logger for everything, the API under /api answered by Hono,
 * static assets with immutable caching, and every other request handed to SvelteKit with the
 * services as `platform`.
 */
export function buildApp(services: Services, options: AppOptions = {}) {
  const app = new Hono<AppEnv>();
  const clientAddress = options.clientAddress ?? (() => '127.0.0.1');

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('services', services);
    c.set('auth', null);
    c.set('clientIp', clientAddress(c));
    c.set('logger', services.logger.child({ requestId }));
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    c.get('logger').debug(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      'request'
    );
  });

  // The embeddable widget may be framed by the configured origins (registered before secureHeaders,
  // so this runs after it): no X-Frame-Options, and SvelteKit's CSP with its frame-ancestors replaced.
  const widgetFrames = widgetFrameSources(services.config.WIDGET_FRAME_ORIGINS);
  app.use('/widget/*', async (c, next) => {
    await next();
    if (!isWidgetPath(c.req.path)) return;
    c.res.headers.delete('X-Frame-Options');
    c.res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
    const csp = c.res.headers.get('Content-Security-Policy');
    if (csp) c.res.headers.set('Content-Security-Policy', withFrameAncestors(csp, widgetFrames));
  });

  // The donor's handover page scans QR codes with the camera (BarcodeDetector): camera allowed there,
  // for this origin only. Registered before secureHeaders so it edits the header after it is set.
  app.use('/organisations/:id/remise', async (c, next) => {
    await next();
    const policy = c.res.headers.get('Permissions-Policy');
    if (policy) c.res.headers.set('Permissions-Policy', policy.replace('camera=()', 'camera=(self)'));
  });

  // Security headers for every answer; pages get their CSP from SvelteKit (kit.csp, with nonces).
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: undefined,
      crossOriginEmbedderPolicy: false,
      crossOriginResourcePolicy: 'same-origin',
      referrerPolicy: 'strict-origin-when-cross-origin',
      strictTransportSecurity: services.config.isHttps ? 'max-age=31536000; includeSubDomains' : false,
      xFrameOptions: 'DENY',
      permissionsPolicy: { camera: [], microphone: [], geolocation: ['self'] }
    })
  );
  app.use('/api/*', async (c, next) => {
    await next();
    // On c.res.headers, not c.header(): after the handler, c.header() rebuilds the response around a
    // stream of its body, which then costs a copy of every JSON page on its way out.
    if (!c.res.headers.has('Content-Security-Policy')) c.res.headers.set('Content-Security-Policy', API_CSP);
  });

  if (options.testControl) {
    app.route('/api/test', testControlRoutes(services, options.testControl.clock, options.testControl.jobs));
  }
  app.route('/api', buildApi(services));
  app.onError(handleError);
  const apiNotFound = (c: import('hono').Context<AppEnv>) =>
    handleError(new AppError('not_found', `No route ${c.req.method} ${c.req.path}`), c);
  app.all('/api/*', apiNotFound);
  app.notFound(apiNotFound);

  const pages = options.pages;
  if (pages) {
    // Pages and their data (HTML, __data.json) leave gzipped for clients that accept it: a phone on a
    // slow network gets a few times fewer bytes. Static files are compressed at build time (the
    // adapter writes .br and .gz beside them) and served as they are; the API stays plain (its
    // clients are partners' servers; a reverse proxy may compress it).
    app.use('*', compress({ threshold: 1024 }));
    app.use('/_app/immutable/*', staticFiles(pages.clientDir, () => 'public, max-age=31536000, immutable'));
    for (const root of [pages.clientDir, pages.prerenderedDir]) {
      app.use(
        '*',
        staticFiles(root, (path) =>
          /service-worker\.js$|manifest\.webmanifest$/.test(path) ? 'no-cache' : 'public, max-age=3600'
        )
      );
    }
    // Behind a trusted reverse proxy the socket speaks plain HTTP on an inner host: SvelteKit must see
    // the public origin, or its CSRF origin check refuses every form post.
    const publicOrigin = services.config.TRUST_PROXY ? new URL(services.config.PUBLIC_URL).origin : undefined;
    app.all('*', (c) =>
      pages.respond(publicOrigin ? withOrigin(c.req.raw, publicOrigin) : c.req.raw, {
        platform: { services, requestId: c.get('requestId') },
        getClientAddress: () => clientAddress(c)
      })
    );
  }
  return app;
}

/**
 * Files under `root` with a Cache-Control chosen by path. (serveStatic's onFound runs after the
 * response is built, so the header is set on the returned response instead.)
 */
function staticFiles(root: string, cacheFor: (path: string) => string): MiddlewareHandler<AppEnv> {
  const found = new WeakMap<Context, string>();
  const serve = serveStatic<AppEnv>({
    root,
    precompressed: true,
    onFound: (path, c) => {
      found.set(c, cacheFor(path));
    }
  });
  return async (c, next) => {
    const res = await serve(c, next);
    const cache = found.get(c);
    if (res && cache) res.headers.set('Cache-Control', cache);
    return res;
  };
}

/** The same request as seen at `origin` (scheme, host and port replaced). */
function withOrigin(request: Request, origin: string): Request {
  const url = new URL(request.url);
  const target = new URL(url.pathname + url.search, origin);
  if (target.href === url.href) return request;
  return new Request(target, request);
}
