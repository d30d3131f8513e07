import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  createSchemeInput,
  eligibilitySettingsInput,
  qfPartsSchema,
  schemeDecidersInput,
  simulateInput,
  updateSchemeInput
} from '../../../schemas/eligibility.js';
import { PROFILES, REASON_CODES, SIMULATION_OUTCOMES } from '../../../schemas/eligibility-vocabulary.js';
import { ORGANISATION_KINDS } from '../../../schemas/vocabulary.js';
import { requireActor, type Actor } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse, WRITE_ERRORS } from '../../http/openapi.js';
import { createRouter } from '../../http/router.js';

/**
 * HTTP of schemes (dispositifs), the territory's eligibility settings and the public simulator:
 * `/api/v1/eligibility/schemes`, `/decider-candidates`, `/settings`, `/communes`, `/simulate`. Thin: validate, call one
 * service function (which checks `canManageSchemes`), answer.
 */

const tags = ['eligibility'];

const Decider = z
  .object({ id: z.string(), name: z.string(), slug: z.string(), kind: z.enum(ORGANISATION_KINDS) })
  .openapi('SchemeDecider', { description: 'An organisation a request for the scheme can be made to' });

const cents = (description: string) => z.number().int().nullable().openapi({ description });

const Scheme = z
  .object({
    id: z.string(),
    code: z.string().openapi({ example: 'anti-gaspi' }),
    name: z.string(),
    nameEn: z.string().nullable(),
    description: z.string().nullable(),
    acceptedProfiles: z.array(z.string()).openapi({ description: `Profiles accepted (${PROFILES.join(', ')}); [] = every profile` }),
    communes: z.array(z.string()).openapi({ description: 'INSEE codes of residence; [] = anywhere' }),
    maxResteAVivreCents: cents('Reste à vivre per person per day, at most, in cents; null = no threshold'),
    maxQuotientFamilialCents: cents('Quotient familial per month, at most, in cents; null = no threshold'),
    defaultValidityDays: z.number().int(),
    maxValidityDays: z.number().int(),
    isRenewable: z.boolean(),
    isActive: z.boolean(),
    position: z.number().int(),
    isDemo: z.boolean(),
    updatedAt: z.string(),
    deciders: z.array(Decider)
  })
  .openapi('Scheme');

const QfParts = qfPartsSchema.openapi('QfParts', {
  description:
    'Parts of the quotient familial: firstAdult, secondAdult, otherAdult (each further adult), child (each of the first ' +
    '`firstChildren` children), furtherChild, singleParent. Each a multiple of 0.25.'
});

const Settings = z
  .object({
    qfParts: QfParts,
    isDefault: z.boolean().openapi({ description: 'No table saved: the default applies' }),
    defaultQfParts: QfParts,
    updatedAt: z.string().nullable()
  })
  .openapi('EligibilitySettings');

const Reason = z
  .object({
    code: z.enum(REASON_CODES),
    value: z.number().int().optional().openapi({ description: 'The household’s figure, in cents (…_over)' }),
    max: z.number().int().optional().openapi({ description: 'The scheme’s threshold, in cents' }),
    missing: z.array(z.string()).optional().openapi({ description: 'Fields needed to tell (…_unknown)' }),
    profile: z.string().optional(),
    accepted: z.array(z.string()).optional(),
    commune: z.string().optional(),
    communes: z.array(z.string()).optional(),
    field: z.string().optional().openapi({ description: 'The unusable field (data_invalid)' })
  })
  .openapi('EligibilityReason', {
    description:
      'Why not (profile_not_accepted, commune_not_covered, reste_a_vivre_over, quotient_familial_over) or why the rules cannot ' +
      'tell (profile_unknown, commune_unknown, reste_a_vivre_unknown, quotient_familial_unknown, data_invalid), with its figures'
  });

const Simulation = z
  .object({
    resteAVivreCents: z.number().int().nullable().openapi({ description: 'Per person per day, rounded down; may be negative' }),
    quotientFamilialCents: z.number().int().nullable().openapi({ description: 'Per month, rounded down' }),
    parts: z.number().nullable(),
    schemes: z.array(
      z.object({
        scheme: Scheme.pick({
          id: true,
          code: true,
          name: true,
          nameEn: true,
          description: true,
          maxResteAVivreCents: true,
          maxQuotientFamilialCents: true,
          defaultValidityDays: true,
          isRenewable: true
        }),
        outcome: z.enum(SIMULATION_OUTCOMES),
        eligible: z.boolean(),
        reasons: z.array(Reason).openapi({ description: 'Every reason, "no" first; [] when eligible' }),
        deciders: z.array(Decider)
      })
    )
  })
  .openapi('Simulation');

const Commune = z.object({ insee: z.string(), name: z.string() }).openapi('TerritoryCommune');

const IdParams = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

const listRoute = createRoute({
  method: 'get',
  path: '/schemes',
  tags,
  summary: 'Schemes with their thresholds and deciders (public: thresholds are public rules)',
  request: {
    query: z.object({
      includeInactive: z
        .enum(['true', 'false'])
        .optional()
        .openapi({ description: 'Also inactive schemes (those who manage schemes only)' })
    })
  },
  responses: { 200: jsonResponse(z.object({ items: z.array(Scheme) }), 'By position'), ...errorResponses(400, 401, 403) }
});

const getRoute = createRoute({
  method: 'get',
  path: '/schemes/{id}',
  tags,
  summary: 'One scheme (an inactive one only for those who manage schemes)',
  request: { params: IdParams },
  responses: { 200: jsonResponse(Scheme, 'The scheme'), ...errorResponses(400, 404) }
});

const createSchemeRoute = createRoute({
  method: 'post',
  path: '/schemes',
  tags,
  summary: 'Create a scheme (platform admins, CCAS owners and managers)',
  request: jsonBody(createSchemeInput.openapi('SchemeCreate')),
  responses: { 201: jsonResponse(Scheme, 'Created'), ...errorResponses(...WRITE_ERRORS, 401, 409) }
});

const updateSchemeRoute = createRoute({
  method: 'patch',
  path: '/schemes/{id}',
  tags,
  summary: 'Change a scheme: thresholds, validity, profiles, communes, active… (not its code)',
  description: 'Absent fields are unchanged. `defaultValidityDays` must stay ≤ `maxValidityDays` (400 naming the field).',
  request: { params: IdParams, ...jsonBody(updateSchemeInput.openapi('SchemeUpdate')) },
  responses: { 200: jsonResponse(Scheme, 'Updated'), ...errorResponses(...WRITE_ERRORS, 401, 404) }
});

const decidersRoute = createRoute({
  method: 'put',
  path: '/schemes/{id}/deciders',
  tags,
  summary: 'Set the organisations that decide a scheme (CCAS and associations only)',
  description: 'An unknown organisation or one of another kind answers 400 naming `organisationIds.<i>`.',
  request: { params: IdParams, ...jsonBody(schemeDecidersInput.openapi('SchemeDeciders')) },
  responses: { 200: jsonResponse(Scheme, 'Updated'), ...errorResponses(...WRITE_ERRORS, 401, 404) }
});

const DeciderCandidate = z
  .object({ id: z.string(), name: z.string(), kind: z.enum(ORGANISATION_KINDS) })
  .openapi('SchemeDeciderCandidate', { description: 'A CCAS or an association that may be set to decide a scheme' });

const deciderCandidatesRoute = createRoute({
  method: 'get',
  path: '/decider-candidates',
  tags,
  summary: 'The organisations that may decide a scheme (CCAS and associations), by name (those who manage schemes)',
  description:
    'What the deciders form of `/admin/dispositifs/{id}` offers: every CCAS and association of the territory, for ' +
    '`PUT /schemes/{id}/deciders`. Platform admins and CCAS owners or managers; 403 for anyone else.',
  responses: {
    200: jsonResponse(z.object({ items: z.array(DeciderCandidate) }), 'By name'),
    ...errorResponses(401, 403)
  }
});

const getSettingsRoute = createRoute({
  method: 'get',
  path: '/settings',
  tags,
  summary: "The territory's eligibility settings: the table of parts of the quotient familial",
  responses: { 200: jsonResponse(Settings, 'The settings'), ...errorResponses(401, 403) }
});

const putSettingsRoute = createRoute({
  method: 'put',
  path: '/settings',
  tags,
  summary: "Replace the territory's eligibility settings",
  request: jsonBody(eligibilitySettingsInput.openapi('EligibilitySettingsUpdate')),
  responses: { 200: jsonResponse(Settings, 'Saved'), ...errorResponses(...WRITE_ERRORS, 401) }
});

const communesRoute = createRoute({
  method: 'get',
  path: '/communes',
  tags,
  summary: 'Communes the territory knows (from its organisations and places), by name',
  responses: { 200: jsonResponse(z.object({ items: z.array(Commune) }), 'Communes'), ...errorResponses() }
});

const simulateRoute = createRoute({
  method: 'post',
  path: '/simulate',
  tags,
  summary: 'Simulator (no account): which schemes a household could get, with every reason of no',
  description:
    'Nothing typed is stored or logged. Money in integer cents. Reste à vivre = (resources − charges) ÷ size ÷ 30, quotient ' +
    'familial = (annual income ÷ 12 + benefits) ÷ parts (the territory table), both rounded down to the cent; thresholds ' +
    'are inclusive. A missing figure gives a "cannot tell" reason naming it. Rate limited per address.',
  request: jsonBody(simulateInput.openapi('SimulateInput')),
  responses: { 200: jsonResponse(Simulation, 'One answer per active scheme'), ...errorResponses(...WRITE_ERRORS) }
});

const svc = (c: Context<AppEnv>) => c.get('services').schemes;
const optionalActor = (c: Context<AppEnv>): Actor | null => (c.get('auth') ? requireActor(c) : null);

/** `/api/v1/eligibility`: schemes, settings, communes, simulator. */
export function schemesRoutes() {
  const router = createRouter();
  router.openapi(listRoute, async (c) => {
    const includeInactive = c.req.valid('query').includeInactive === 'true';
    return c.json({ items: await svc(c).listSchemes(optionalActor(c), { includeInactive }) }, 200);
  });
  router.openapi(getRoute, async (c) => c.json(await svc(c).getScheme(optionalActor(c), c.req.valid('param').id), 200));
  router.openapi(createSchemeRoute, async (c) => c.json(await svc(c).createScheme(requireActor(c), c.req.valid('json')), 201));
  router.openapi(updateSchemeRoute, async (c) =>
    c.json(await svc(c).updateScheme(requireActor(c), c.req.valid('param').id, c.req.valid('json')), 200)
  );
  router.openapi(decidersRoute, async (c) =>
    c.json(await svc(c).setDeciders(requireActor(c), c.req.valid('param').id, c.req.valid('json')), 200)
  );
  router.openapi(deciderCandidatesRoute, async (c) => c.json({ items: await svc(c).listDeciderCandidates(requireActor(c)) }, 200));
  router.openapi(getSettingsRoute, async (c) => c.json(await svc(c).getSettings(requireActor(c)), 200));
  router.openapi(putSettingsRoute, async (c) => c.json(await svc(c).updateSettings(requireActor(c), c.req.valid('json')), 200));
  router.openapi(communesRoute, async (c) => c.json({ items: await svc(c).listCommunes() }, 200));
  router.openapi(simulateRoute, async (c) =>
    c.json(await svc(c).simulate(c.req.valid('json'), { ip: c.get('clientIp') }), 200)
  );
  return router;
}
