import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  accountUpdateInput,
  accountUserSchema,
  codeRequestInput,
  codeVerifyInput,
  emailAddInput,
  emailVerificationInput,
  passwordResetCompleteInput,
  passwordResetRequestInput,
  isEmailSignUp,
  sessionView,
  signInInput,
  signUpInput
} from '../../../schemas/accounts.js';
import { erasureReportSchema } from '../../../schemas/eligibility.js';
import { createRouter } from '../../http/router.js';
import { clearSessionCookie, requireActor, requireAuth, setSessionCookie } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { accountOverview } from './account-overview.js';
import type { RequestContext, SignedIn } from './accounts.service.js';

/**
 * HTTP for accounts: `/api/v1/auth/*` (sign-up, sign-in, codes, sessions, password reset, email
 * verification) and `/api/v1/account` (the signed-in user's settings). Thin: validate, call one
 * service function, set or clear the cookie, present.
 */

const SessionView = sessionView.openapi('Session');
const AccountUser = accountUserSchema.openapi('AccountUser');
const Accepted = z
  .object({ status: z.literal('accepted'), message: z.string() })
  .openapi('Accepted', { description: 'Same answer whether an account matches or not' });

const ACCEPTED = {
  status: 'accepted' as const,
  message: 'If an account matches, a message has been sent. / Si un compte correspond, un message a été envoyé.'
};

/** The answer to a sign-up by phone, the same whether the number already had an account or not. */
const CODE_SENT_BY_SMS = {
  status: 'accepted' as const,
  message:
    'A sign-in code has been sent by SMS to this number: send it to /api/v1/auth/sign-in/code/verify with channel "sms". / ' +
    'Un code de connexion a été envoyé par SMS à ce numéro.'
};

/** The answer to a sign-up by email, the same whether the address already had an account or not. */
const CODE_SENT_BY_EMAIL = {
  status: 'accepted' as const,
  message:
    'If this address can be used, a code to open the account has been sent to it: send it to /api/v1/auth/sign-in/code/verify ' +
    'with channel "email". If the address already has an account, its holder has been told by email. / ' +
    'Si cette adresse peut être utilisée, un code pour ouvrir le compte y a été envoyé.'
};

/** The answer to adding an email address, the same whether another account holds it or not. */
const EMAIL_ADD_CODE_SENT = {
  status: 'accepted' as const,
  message:
    'If this address can be used, a confirmation code has been sent to it: send it with the address to ' +
    '/api/v1/auth/email-verification/verify, which adds the address to the account, confirmed. / ' +
    'Si cette adresse peut être utilisée, un code de confirmation y a été envoyé.'
};

const tags = ['auth'];

function requestContext(c: Context<AppEnv>): RequestContext {
  return { ip: c.get('clientIp'), userAgent: c.req.header('user-agent') ?? null, requestId: c.get('requestId') };
}

function signedIn(c: Context<AppEnv>, result: SignedIn) {
  setSessionCookie(c, result.token);
  return { user: result.user, csrfToken: result.session.csrfToken };
}

const signUpRoute = createRoute({
  method: 'post',
  path: '/sign-up',
  tags,
  summary: 'Create an account with email and password, or with a mobile phone number alone',
  description:
    'Two shapes, both answering 202 with the same body whether the address or number already has an account or not (no ' +
    'account enumeration). **Email**: `email` + `password` (+ optional `phone`): for a new address, creates the account ' +
    'with the address unverified and sends a 6-digit code to it; `POST /api/v1/auth/sign-in/code/verify` with ' +
    '`channel: "email"` opens the account (signs in, marks the address verified). For an address that already has an ' +
    'account, nothing is created and its holder receives an email saying someone tried, with a sign-in and a ' +
    'password-reset link. A phone number already used by another account is not attached. **Phone**: `phone` alone (a ' +
    'French mobile number, 06 or 07; no `email`, no `password`): creates the account unverified and sends a 6-digit ' +
    'sign-in code by SMS; the same verify call with `channel: "sms"` signs in and marks the phone verified. When the ' +
    'number already has an account, a sign-in code is sent to it instead. Both share the limits of sign-in codes (429); ' +
    'phone sign-ups answer 503 when SMS cannot be sent. A body with neither, a password without an email, an email ' +
    'without a password or a password against the rules answers 400 naming the field.',
  request: jsonBody(signUpInput.openapi('SignUpInput')),
  responses: {
    202: jsonResponse(Accepted, 'A code was sent (same answer when the address or number had an account)'),
    ...errorResponses(400, 403, 413, 415, 429, 503)
  }
});

const signInRoute = createRoute({
  method: 'post',
  path: '/sign-in',
  tags,
  summary: 'Sign in with email and password',
  description: 'Wrong email or wrong password give the same 401. Five consecutive failures lock the account for 15 minutes.',
  request: jsonBody(signInInput.openapi('SignInInput')),
  responses: {
    200: jsonResponse(SessionView, 'Signed in (sets the glane_session cookie)'),
    ...errorResponses(400, 401, 403, 413, 415, 423, 429)
  }
});

const codeRequestRoute = createRoute({
  method: 'post',
  path: '/sign-in/code',
  tags,
  summary: 'Ask for a 6-digit sign-in code by email or SMS',
  description: 'Answers 202 with the same body whether an account has this email or phone number or not.',
  request: jsonBody(codeRequestInput.openapi('CodeRequestInput')),
  responses: {
    202: jsonResponse(Accepted, 'Accepted'),
    ...errorResponses(400, 403, 413, 415, 429, 503)
  }
});

const codeVerifyRoute = createRoute({
  method: 'post',
  path: '/sign-in/code/verify',
  tags,
  summary: 'Sign in with a code received by email or SMS',
  request: jsonBody(codeVerifyInput.openapi('CodeVerifyInput')),
  responses: {
    200: jsonResponse(SessionView, 'Signed in (sets the glane_session cookie)'),
    ...errorResponses(400, 401, 403, 413, 415, 429)
  }
});

const signOutRoute = createRoute({
  method: 'post',
  path: '/sign-out',
  tags,
  summary: 'End this session (no-op when signed out)',
  responses: { 204: { description: 'Signed out; the cookie is cleared' }, ...errorResponses(403, 415) }
});

const signOutEverywhereRoute = createRoute({
  method: 'post',
  path: '/sign-out-everywhere',
  tags,
  summary: 'End every session of the signed-in user, on every device',
  responses: {
    200: jsonResponse(z.object({ revoked: z.number().int() }), 'Number of sessions ended'),
    ...errorResponses(401, 403, 415)
  }
});

const sessionRoute = createRoute({
  method: 'get',
  path: '/session',
  tags,
  summary: 'The signed-in user and the CSRF token to send as X-CSRF-Token',
  responses: { 200: jsonResponse(SessionView, 'Signed in'), ...errorResponses(401) }
});

const resetRequestRoute = createRoute({
  method: 'post',
  path: '/password-reset',
  tags,
  summary: 'Ask for a password-reset code and link by email',
  description: 'Answers 202 with the same body whether an account has this email or not.',
  request: jsonBody(passwordResetRequestInput.openapi('PasswordResetRequestInput')),
  responses: { 202: jsonResponse(Accepted, 'Accepted'), ...errorResponses(400, 403, 413, 415, 429) }
});

const resetCompleteRoute = createRoute({
  method: 'post',
  path: '/password-reset/complete',
  tags,
  summary: 'Choose a new password with the reset code; ends every session of the account',
  request: jsonBody(passwordResetCompleteInput.openapi('PasswordResetCompleteInput')),
  responses: {
    204: { description: 'Password changed; sign in again' },
    ...errorResponses(400, 403, 413, 415, 429)
  }
});

const verificationRequestRoute = createRoute({
  method: 'post',
  path: '/email-verification',
  tags,
  summary: "Send a new verification code to the signed-in user's email",
  responses: { 202: jsonResponse(Accepted, 'Accepted'), ...errorResponses(400, 401, 403, 415, 429) }
});

const verificationRoute = createRoute({
  method: 'post',
  path: '/email-verification/verify',
  tags,
  summary: 'Confirm an email address with its code (the account\'s own, or one asked for by POST /api/v1/account/email)',
  description:
    'A wrong or expired code answers 400 naming `code`; so does a code for an address that another account took since ' +
    'it was sent, or for an account that has another address by now.',
  request: jsonBody(emailVerificationInput.openapi('EmailVerificationInput')),
  responses: {
    200: jsonResponse(z.object({ user: AccountUser }), 'Email confirmed'),
    ...errorResponses(400, 403, 413, 415, 429)
  }
});

/** `/api/v1/auth/*` */
export function authRoutes() {
  const router = createRouter();

  router.openapi(signUpRoute, async (c) => {
    const input = c.req.valid('json');
    if (!isEmailSignUp(input)) {
      await c.get('services').accounts.signUpByPhone(input, requestContext(c));
      return c.json(CODE_SENT_BY_SMS, 202);
    }
    await c.get('services').accounts.signUp(input, requestContext(c));
    return c.json(CODE_SENT_BY_EMAIL, 202);
  });

  router.openapi(signInRoute, async (c) => {
    const result = await c.get('services').accounts.signIn(c.req.valid('json'), requestContext(c));
    return c.json(signedIn(c, result), 200);
  });

  router.openapi(codeRequestRoute, async (c) => {
    await c.get('services').accounts.requestSignInCode(c.req.valid('json'), requestContext(c));
    return c.json(ACCEPTED, 202);
  });

  router.openapi(codeVerifyRoute, async (c) => {
    const result = await c.get('services').accounts.verifySignInCode(c.req.valid('json'), requestContext(c));
    return c.json(signedIn(c, result), 200);
  });

  router.openapi(signOutRoute, async (c) => {
    const auth = c.get('auth');
    if (auth) await c.get('services').accounts.signOut(auth.sessionId);
    clearSessionCookie(c);
    return c.body(null, 204);
  });

  router.openapi(signOutEverywhereRoute, async (c) => {
    const auth = requireAuth(c);
    const revoked = await c.get('services').accounts.signOutEverywhere(auth.userId, requestContext(c));
    clearSessionCookie(c);
    return c.json({ revoked }, 200);
  });

  router.openapi(sessionRoute, async (c) => {
    const auth = requireAuth(c);
    const user = await c.get('services').accounts.getAccount(auth.userId);
    return c.json({ user, csrfToken: auth.csrfToken }, 200);
  });

  router.openapi(resetRequestRoute, async (c) => {
    await c.get('services').accounts.requestPasswordReset(c.req.valid('json'), requestContext(c));
    return c.json(ACCEPTED, 202);
  });

  router.openapi(resetCompleteRoute, async (c) => {
    await c.get('services').accounts.completePasswordReset(c.req.valid('json'), requestContext(c));
    clearSessionCookie(c);
    return c.body(null, 204);
  });

  router.openapi(verificationRequestRoute, async (c) => {
    const auth = requireAuth(c);
    await c.get('services').accounts.requestEmailVerification(auth.userId, requestContext(c));
    return c.json(ACCEPTED, 202);
  });

  router.openapi(verificationRoute, async (c) => {
    const user = await c.get('services').accounts.verifyEmail(c.req.valid('json'), requestContext(c));
    return c.json({ user }, 200);
  });

  return router;
}

const getAccountRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['account'],
  summary: 'The signed-in user, until when an unconfirmed account is kept, and what the account may do',
  description:
    'As the page `/compte`: `confirmBefore` is when the hourly purge deletes this account unless an email or phone is ' +
    'confirmed (or the account is used) by then; null once one is confirmed, and for accounts the purge never touches. ' +
    '`permissions` says which of the areas the page links to are open: update campaigns and scheme management (platform ' +
    'admins, CCAS owners and managers), offers posted as a private person (when the territory allows it).',
  responses: {
    200: jsonResponse(
      z.object({
        user: AccountUser,
        confirmBefore: z.string().nullable().openapi({ format: 'date-time' }),
        permissions: z
          .object({
            canRunCampaigns: z.boolean().openapi({ description: 'POST/GET /api/v1/directory/campaigns' }),
            canManageSchemes: z.boolean().openapi({ description: 'Write /api/v1/eligibility/schemes and /settings' }),
            mayPostOffers: z.boolean().openapi({ description: 'POST /api/v1/offers without organisationId, GET /api/v1/me/offers' })
          })
          .openapi('AccountPermissions')
      }),
      'The account'
    ),
    ...errorResponses(401)
  }
});

const patchAccountRoute = createRoute({
  method: 'patch',
  path: '/',
  tags: ['account'],
  summary: 'Change display name or language',
  request: jsonBody(accountUpdateInput.openapi('AccountUpdateInput')),
  responses: {
    200: jsonResponse(z.object({ user: AccountUser }), 'The updated account'),
    ...errorResponses(400, 401, 403, 413, 415)
  }
});

const addEmailRoute = createRoute({
  method: 'post',
  path: '/email',
  tags: ['account'],
  summary: 'Ask to add an email address to an account that has none (signed up by phone); sends a confirmation code',
  description:
    'Answers 202 with the same body whether another account holds the address or not (no account enumeration), and ' +
    'the account does not change yet. For a free address, a 6-digit code is sent to it; ' +
    '`POST /api/v1/auth/email-verification/verify` with the address and the code adds it to the account, confirmed. ' +
    'For an address another account holds, no code is sent (so it can never be confirmed here) and its holder ' +
    'receives an email saying someone tried to add it to another account, with what to do. Shares the limits of ' +
    'verification codes (429). 409 only when this account already has an address (changing it is not offered).',
  request: jsonBody(emailAddInput.openapi('EmailAddInput')),
  responses: {
    202: jsonResponse(Accepted, 'A code was sent if the address can be used (same answer when another account holds it)'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 429)
  }
});

const deleteAccountRoute = createRoute({
  method: 'delete',
  path: '/',
  tags: ['account'],
  summary: 'Delete the signed-in account, every session of it and its eligibility data',
  description:
    'Answers what was erased and what is kept, and why (in French and English): audit log entries, which hold ' +
    'identifiers and no personal data, are kept for accountability.',
  responses: {
    200: jsonResponse(erasureReportSchema.openapi('ErasureReport'), 'Deleted; the cookie is cleared'),
    ...errorResponses(401, 403, 409)
  }
});

/** `/api/v1/account` */
export function accountRoutes() {
  const router = createRouter();

  router.openapi(getAccountRoute, async (c) => {
    return c.json(await accountOverview(c.get('services'), requireActor(c)), 200);
  });

  router.openapi(patchAccountRoute, async (c) => {
    const auth = requireAuth(c);
    return c.json({ user: await c.get('services').accounts.updateAccount(auth.userId, c.req.valid('json')) }, 200);
  });

  router.openapi(addEmailRoute, async (c) => {
    const auth = requireAuth(c);
    await c.get('services').accounts.addEmail(auth.userId, c.req.valid('json'), requestContext(c));
    return c.json(EMAIL_ADD_CODE_SENT, 202);
  });

  router.openapi(deleteAccountRoute, async (c) => {
    const auth = requireAuth(c);
    const report = await c.get('services').accounts.deleteAccount(auth.userId, requestContext(c));
    clearSessionCookie(c);
    return c.json(report, 200);
  });

  return router;
}
