import { describe, expect, it } from 'vitest';
import { signUpInput } from '../schemas/accounts';
import { AppError } from '../server/errors';
import { failWith, isAppErrorLike, keptValues, optionalString, parseInput, throwAsPageError } from './forms.server';
import { failureOf } from './forms';
import { organisationInput } from './organisations.server';

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.set(k, v);
  return data;
}

describe('form failures', () => {
  it('recognises an AppError by shape, even from another copy of the class', () => {
    const foreign = Object.assign(new Error('x'), { name: 'AppError', code: 'conflict' });
    expect(isAppErrorLike(foreign)).toBe(true);
    expect(isAppErrorLike(new Error('x'))).toBe(false);
    expect(isAppErrorLike({ name: 'AppError', code: 'no_such_code' })).toBe(false);
  });

  it('never sends a password or a code back, keeps the other values', () => {
    expect(keptValues(form({ email: 'a@b.fr', password: 'secret', code: '123456', newPassword: 'x', displayName: 'Awa' }))).toEqual({
      email: 'a@b.fr',
      displayName: 'Awa'
    });
  });

  it('maps the error code to its HTTP status and fields to catalogue keys', () => {
    const data = form({ email: 'taken@b.fr', password: 'secret' });
    const failure = failWith(new AppError('conflict', 'taken', { fields: [{ path: 'email', message: 'already used' }] }), data, {
      form: 'signup'
    });
    expect(failure.status).toBe(409);
    expect(failure.data).toMatchObject({
      form: 'signup',
      code: 'conflict',
      fields: { email: { key: 'fieldErrors.emailTaken' } },
      values: { email: 'taken@b.fr' }
    });
    expect(failure.data.values).not.toHaveProperty('password');
  });

  it('passes the lock time and the retry delay through', () => {
    const locked = failWith(new AppError('account_locked', 'locked', { lockedUntil: '2026-11-29T10:15:00.000Z' }), form({}));
    expect(locked.status).toBe(423);
    expect(locked.data.lockedUntil).toBe('2026-11-29T10:15:00.000Z');
    const limited = failWith(new AppError('rate_limited', 'slow down', { retryAfter: 42 }), form({}));
    expect(limited.status).toBe(429);
    expect(limited.data.retryAfter).toBe(42);
  });

  it('rethrows what is not an AppError (the error page shows the request id)', () => {
    const boom = new TypeError('boom');
    expect(() => failWith(boom, form({}))).toThrow(boom);
  });

  it('parses with the shared schemas and names each bad field', () => {
    try {
      parseInput(signUpInput, { email: 'nope', password: 'short', displayName: '' });
      expect.unreachable();
    } catch (err) {
      const failure = failWith(err, form({ email: 'nope' }));
      expect(Object.keys(failure.data.fields).sort()).toEqual(['displayName', 'email', 'password']);
      expect(failure.data.fields.password).toEqual({ key: 'fieldErrors.passwordLength', params: { min: 10 } });
    }
  });

  it('picks the failure of the named form only', () => {
    const failure = { form: 'invite', code: 'conflict', fields: {}, values: {} };
    expect(failureOf(failure, 'invite')).toBe(failure);
    expect(failureOf(failure, 'members')).toBeNull();
    expect(failureOf({ done: 'saved' })).toBeNull();
    expect(failureOf(null)).toBeNull();
  });

  it('treats blank optional fields as absent', () => {
    expect(optionalString(form({ phone: '   ' }), 'phone')).toBeUndefined();
    expect(optionalString(form({ phone: ' 06 ' }), 'phone')).toBe('06');
  });
});

describe('organisation form', () => {
  const filled = {
    name: 'Épicerie',
    kind: 'association',
    donorKind: '',
    network: '',
    siret: '',
    email: '',
    phone: '',
    'address.line': '',
    'address.postalCode': '',
    'address.city': ''
  };

  it('leaves empty optional fields out on create', () => {
    expect(organisationInput(form(filled), 'create')).toEqual({
      name: 'Épicerie',
      kind: 'association',
      donorKind: undefined,
      network: undefined,
      siret: undefined,
      email: undefined,
      phone: undefined,
      address: undefined
    });
  });

  it('clears empty optional fields on update', () => {
    const input = organisationInput(form(filled), 'update');
    expect(input).toMatchObject({ network: null, siret: null, address: null, donorKind: null });
  });

  it('sends the address as soon as one part is filled, so the missing parts are named', () => {
    const input = organisationInput(form({ ...filled, 'address.city': 'Lille' }), 'create');
    expect(input.address).toEqual({ line: '', postalCode: '', city: 'Lille' });
  });
});

describe('throwAsPageError', () => {
  const statusOf = (err: unknown) => {
    try {
      throwAsPageError(err);
    } catch (thrown) {
      return (thrown as { status?: number }).status ?? thrown;
    }
  };

  it('answers 404 for not_found and 403 for forbidden, and throws anything else as is', () => {
    expect(statusOf(new AppError('not_found', 'No such organisation'))).toBe(404);
    expect(statusOf(new AppError('forbidden', 'Not a member'))).toBe(403);
    const other = new AppError('conflict', 'Changed meanwhile');
    expect(statusOf(other)).toBe(other);
    const crash = new Error('disk full');
    expect(statusOf(crash)).toBe(crash);
  });
});
