import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../server/errors';
import { isActiveReservation, reservationRow, reserveFromForm } from './reserve.server';

const actor = { userId: 'agent', isPlatformAdmin: false, requestId: 'r1' };

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.append(k, v);
  return data;
}

function servicesWith(reserve: (...args: unknown[]) => Promise<unknown>) {
  return { reservations: { reserve: vi.fn(reserve) } } as unknown as Parameters<typeof reserveFromForm>[0] & {
    reservations: { reserve: ReturnType<typeof vi.fn> };
  };
}

describe('reserveFromForm', () => {
  it('reserves the offer for the target with the quantity typed and the key drawn at load, scoped to the offer', async () => {
    const reservation = { id: 'res-1', code: '123456', offerTitle: 'Pain' };
    const services = servicesWith(async () => ({ reservation, replayed: false }));
    const result = await reserveFromForm(services, actor, form({ offerId: 'o1', quantity: '3', idempotencyKey: 'k'.repeat(300) }), { forUserId: 'p1' });
    expect(result).toEqual({ offerId: 'o1', reservation });
    expect(services.reservations.reserve).toHaveBeenCalledWith(actor, 'o1', { quantity: 3, forUserId: 'p1' }, `o1:${'k'.repeat(150)}`);
  });

  it('passes what is not a number as 0 (the service names the field) and draws a key when none is sent', async () => {
    const services = servicesWith(async () => ({ reservation: {}, replayed: false }));
    await reserveFromForm(services, actor, form({ offerId: 'o1', quantity: 'deux' }), { organisationId: 'org1' });
    const [, , input, key] = services.reservations.reserve.mock.calls[0] as [unknown, unknown, unknown, string];
    expect(input).toEqual({ quantity: 0, organisationId: 'org1' });
    expect(key).toMatch(/^o1:[0-9a-f-]{36}$/);
  });

  it('turns an AppError into a refusal with the details a page words, and rethrows anything else', async () => {
    const refused = servicesWith(async () => {
      throw new AppError('conflict', 'Limit', { limit: 'maxActiveReservations', max: 3, remaining: 'x' });
    });
    expect(await reserveFromForm(refused, actor, form({ offerId: 'o1', quantity: '1' }), { forUserId: 'p1' })).toEqual({
      offerId: 'o1',
      refusal: { code: 'conflict', remaining: null, limit: 'maxActiveReservations', max: 3, reason: null }
    });
    const broken = servicesWith(async () => {
      throw new Error('disk full');
    });
    await expect(reserveFromForm(broken, actor, form({ offerId: 'o1', quantity: '1' }), { forUserId: 'p1' })).rejects.toThrow('disk full');
  });
});

describe('the reservations an agent page lists', () => {
  const now = Date.parse('2026-11-29T10:00:00Z');
  const r = {
    id: 'res-1',
    offerTitle: 'Pain',
    status: 'confirmed',
    quantity: 2,
    code: 'ABC234',
    pickupStartsAt: '2026-11-29T17:00:00Z',
    pickupEndsAt: '2026-11-29T18:00:00Z',
    addressLine: '1 rue du Four',
    postalCode: null,
    city: 'Glaneville'
  } as unknown as Parameters<typeof reservationRow>[0];

  it('keeps those still to pick up, and shows each with its window and address', () => {
    expect(isActiveReservation(r, now)).toBe(true);
    expect(isActiveReservation({ ...r, status: 'waiting' }, now)).toBe(true);
    expect(isActiveReservation({ ...r, status: 'collected' }, now)).toBe(false);
    expect(isActiveReservation(r, Date.parse('2026-11-29T18:00:00Z'))).toBe(false);
    expect(reservationRow(r)).toEqual({
      id: 'res-1',
      title: 'Pain',
      status: 'confirmed',
      quantity: 2,
      code: 'ABC234',
      startsAt: '2026-11-29T17:00:00Z',
      endsAt: '2026-11-29T18:00:00Z',
      address: '1 rue du Four, Glaneville'
    });
  });
});
