import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { AppError } from './errors.js';
import { pendingMigrations } from './db/database.js';
import { handleError } from './http/errors.js';
import { createRouter } from './http/router.js';
import { errorResponses, jsonResponse } from './http/openapi.js';
import { docsRoutes } from './http/docs.js';
import { sessionMiddleware } from './http/auth.js';
import { accountRoutes, authRoutes } from './modules/accounts/accounts.routes.js';
import { adminRoutes } from './modules/audit/audit.routes.js';
import { noticesRoutes, placesRoutes, servicesRoutes } from './modules/directory/directory.routes.js';
import { directorySearchRoutes } from './modules/directory/search.routes.js';
import { isPhotoUpload, photosRoutes, placePhotosRoutes } from './modules/directory/photos.routes.js';
import { megabytes } from './photos/photos.rules.js';
import { campaignsRoutes, freshnessRoutes } from './modules/directory/freshness.routes.js';
import { exportsRoutes, hsdsRoutes, importRoutes } from './modules/opendata/opendata.routes.js';
import { invitationsRoutes, organisationsRoutes } from './modules/organisations/organisations.routes.js';
import {
  eligibilityRequestsRoutes,
  isDocumentUpload,
  meRoutes,
  organisationEligibilityRoutes
} from './modules/eligibility/requests.routes.js';
import { schemesRoutes } from './modules/eligibility/schemes.routes.js';
import { cardsRoutes, myDataRoutes, organisationPeopleRoutes, peopleRoutes } from './modules/eligibility/people.routes.js';
import { meNotificationsRoutes, pushRoutes } from './modules/notifications/notifications.routes.js';
import { organisationHandoverRoutes, reservationHandoverRoutes } from './modules/marketplace/pickup.routes.js';
import {
  myReservationsRoutes,
  offerReservationsRoutes,
  organisationPersonReservationsRoutes,
  organisationReservationsRoutes,
  reservationsRoutes
} from './modules/marketplace/reservations.routes.js';
import { feedPreferencesRoutes, feedRoutes } from './modules/marketplace/feed.routes.js';
import { offerSeriesRoutes, offersRoutes, organisationOffersRoutes, organisationSeriesRoutes } from './modules/marketplace/offers.routes.js';
import { isOfferPhotoUpload, offerPhotoFilesRoutes, offerPhotosRoutes } from './modules/marketplace/offer-photos.routes.js';
import { myOffersRoutes } from './modules/marketplace/my-offers.routes.js';
import type { Services } from './services.js';

export { createRouter } from './http/router.js';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: 'Process is up',
  responses: { 200: jsonResponse(z.object({ status: z.literal('ok') }), 'The process answers'), ...errorResponses() }
});

const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['system'],
  summary: 'Database reachable and migrations applied',
  responses: {
    200: jsonResponse(z.object({ status: z.literal('ready'), database: z.enum(['sqlite', 'postgres']) }), 'Ready to serve'),
    ...errorResponses(503)
  }
});

/**
 * The API app, mounted at /api by the root app. `/api/v1/*` is the versioned contract;
 * `/api/health`, `/api/ready`, `/api/docs` sit beside it.
 */
export function buildApi(services: Services) {
  const api = createRouter();
  const { config } = services;

  if (config.CORS_ORIGINS.length > 0) {
    api.use('*', cors({ origin: config.CORS_ORIGINS, credentials: false, maxAge: 600 }));
  }

  api.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    await next();
  });

  // Writes carry JSON only, within the size limit; a photo upload (one route) carries
  // multipart/form-data only, within the photo limit.
  api.use('/v1/*', async (c, next) => {
    const method = c.req.method;
    if (isPhotoUpload(method, c.req.path) || isOfferPhotoUpload(method, c.req.path) || isDocumentUpload(method, c.req.path)) {
      const type = c.req.header('content-type') ?? '';
      if (!/^multipart\/form-data\b/i.test(type)) {
        throw new AppError('unsupported_media_type', 'Content-Type must be multipart/form-data', {
          fields: [{ path: '(body)', message: `got ${type || 'no Content-Type'}` }]
        });
      }
    } else if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      const type = c.req.header('content-type') ?? '';
      const length = Number(c.req.header('content-length') ?? '0');
      const hasBody = length > 0 || c.req.header('transfer-encoding') !== undefined;
      if (hasBody && !/^application\/json\b/i.test(type)) {
        throw new AppError('unsupported_media_type', 'Content-Type must be application/json', {
          fields: [{ path: '(body)', message: `got ${type || 'no Content-Type'}` }]
        });
      }
    }
    await next();
  });
  const jsonLimit = bodyLimit({
    maxSize: config.BODY_LIMIT_KB * 1024,
    onError: () => {
      throw new AppError('payload_too_large', `Request body larger than ${config.BODY_LIMIT_KB} KB`);
    }
  });
  // The photo itself plus room for the form's boundaries and its other field.
  const uploadLimit = bodyLimit({
    maxSize: megabytes(config.PHOTO_UPLOAD_MAX_MB) + 64 * 1024,
    onError: () => {
      throw new AppError('payload_too_large', `The photo is larger than ${config.PHOTO_UPLOAD_MAX_MB} MB`, {
        fields: [{ path: 'file', message: `larger than ${config.PHOTO_UPLOAD_MAX_MB} MB`, code: 'too_big' }]
      });
    }
  });
  // A proof document (eligibility request) within DOCUMENT_MAX_KB, plus room for the form around it.
  const documentLimit = bodyLimit({
    maxSize: config.DOCUMENT_MAX_KB * 1024 + 64 * 1024,
    onError: () => {
      throw new AppError('payload_too_large', `The document is larger than ${config.DOCUMENT_MAX_KB} KB`, {
        fields: [{ path: 'file', message: `larger than ${config.DOCUMENT_MAX_KB} KB`, code: 'too_big' }],
        maxKb: config.DOCUMENT_MAX_KB
      });
    }
  });
  api.use('/v1/*', (c, next) => {
    const { method, path } = c.req;
    // A GET or HEAD carries no body: reading `c.req.raw.body` to find out would build the full
    // Request object for every read of the API (a measurable share of a search's cost).
    if (method === 'GET' || method === 'HEAD') return next();
    return (isPhotoUpload(method, path) || isOfferPhotoUpload(method, path) ? uploadLimit : isDocumentUpload(method, path) ? documentLimit : jsonLimit)(c, next);
  });

  api.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));
  api.openapi(readyRoute, async (c) => {
    try {
      const pending = await pendingMigrations(services.db);
      if (pending.length > 0) throw new AppError('unavailable', `Migrations pending: ${pending.join(', ')}`);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('unavailable', 'Database unreachable');
    }
    return c.json({ status: 'ready' as const, database: services.database.kind }, 200);
  });

  // Who is calling (session cookie) and CSRF on cookie-authenticated writes.
  api.use('/v1/*', sessionMiddleware());

  const v1 = createRouter();
  // Module routers are mounted here: v1.route('/auth', accountsRoutes(services)) …
  v1.route('/auth', authRoutes());
  v1.route('/account', accountRoutes());
  v1.route('/organisations', organisationsRoutes());
  v1.route('/invitations', invitationsRoutes());
  v1.route('/organisations', organisationEligibilityRoutes());
  v1.route('/me', meRoutes());
  v1.route('/me', myOffersRoutes());
  v1.route('/me', myDataRoutes());
  v1.route('/me', meNotificationsRoutes());
  v1.route('/push', pushRoutes());
  v1.route('/organisations', organisationPeopleRoutes());
  v1.route('/organisations', organisationPersonReservationsRoutes());
  v1.route('/organisations', organisationReservationsRoutes());
  v1.route('/people', peopleRoutes());
  v1.route('/organisations', organisationHandoverRoutes());
  v1.route('/reservations', reservationHandoverRoutes());
  v1.route('/reservations', reservationsRoutes());
  v1.route('/offers', offerReservationsRoutes());
  v1.route('/me', myReservationsRoutes());
  v1.route('/marketplace', feedRoutes());
  v1.route('/me', feedPreferencesRoutes());
  v1.route('/cards', cardsRoutes());
  v1.route('/eligibility', eligibilityRequestsRoutes());
  v1.route('/eligibility', schemesRoutes());
  v1.route('/admin', adminRoutes());
  v1.route('/admin/imports', importRoutes());
  v1.route('/exports', exportsRoutes());
  v1.route('/directory/campaigns', campaignsRoutes());
  v1.route('/freshness', freshnessRoutes());
  v1.route('/directory', directorySearchRoutes());
  v1.route('/places', placesRoutes());
  v1.route('/places', placePhotosRoutes());
  v1.route('/photos', photosRoutes());
  v1.route('/services', servicesRoutes());
  v1.route('/notices', noticesRoutes());
  v1.route('/offers', offersRoutes());
  v1.route('/offers', offerPhotosRoutes());
  v1.route('/offer-photos', offerPhotoFilesRoutes());
  v1.route('/offer-series', offerSeriesRoutes());
  v1.route('/organisations', organisationOffersRoutes());
  v1.route('/organisations', organisationSeriesRoutes());
  api.route('/v1', v1);
  // Open Referral HSDS 3.0 (public, read-only), beside /v1 as the standard names its paths.
  api.route('/hsds', hsdsRoutes());

  api.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Glane API',
      version: '1.0.0',
      description:
        "API de Glane, logiciel libre pour l'aide alimentaire locale. / API of Glane, open-source software for local food aid.\n\n" +
        'Errors: `{ error: { code, message, details?, requestId } }`. Cookie-authenticated writes need the `X-CSRF-Token` header.',
      license: { name: 'AGPL-3.0-or-later', url: 'https://www.gnu.org/licenses/agpl-3.0.html' }
    },
    servers: [{ url: `${config.PUBLIC_URL}/api` }]
  });
  api.route('/docs', docsRoutes());

  api.notFound((c) => handleError(new AppError('not_found', `No route ${c.req.method} ${c.req.path}`), c));
  api.onError(handleError);
  return api;
}
