import { describe, expect, it } from 'vitest';
import { messageFor, type MarketplaceMessageKind } from './messages.js';

const params = {
  offerTitle: 'Pain',
  placeName: 'Boulangerie',
  pickupStartsAt: '2026-11-29T18:00:00.000Z',
  pickupEndsAt: '2026-11-29T19:00:00.000Z',
  quantity: 2
};

const KINDS: MarketplaceMessageKind[] = [
  'reservation.confirmed',
  'reservation.promoted',
  'reservation.allocated',
  'reservation.not_allocated',
  'reservation.reminder',
  'reservation.cancelled',
  'reservation.no_show',
  'offer.cancelled',
  'offer.new'
];

describe('messageFor (the marketplace notification texts)', () => {
  it('writes every kind in French and English, every placeholder filled', () => {
    for (const kind of KINDS) {
      const fr = messageFor(kind, 'fr', { ...params, reason: 'Four en panne', distanceKm: 1 });
      const en = messageFor(kind, 'en', { ...params, reason: 'Four en panne', distanceKm: 1 });
      for (const text of [fr.title, fr.body, en.title, en.body]) {
        expect(text, `${kind}: ${text}`).not.toMatch(/\{\w+\}|notify\./);
      }
      expect(fr.title, kind).not.toBe(en.title);
      expect(fr.body, kind).not.toBe(en.body);
    }
  });

  it('quotes the offer, the place, the window (Paris time) and the quantity', () => {
    expect(messageFor('reservation.confirmed', 'fr', params)).toEqual({
      title: 'Réservation confirmée : Pain',
      body: 'Votre réservation (2 parts) chez Boulangerie est confirmée. Retrait du dim. 29 nov., 19:00 à 20:00. Votre code de retrait est dans « Mes réservations ».'
    });
    expect(messageFor('reservation.promoted', 'en', params).title).toBe('A place came free: Pain');
    expect(messageFor('reservation.allocated', 'en', params).body).toBe(
      'The draw gave you 2 items at Boulangerie. Pick up from Sun 29 Nov, 19:00 to 20:00. Your pickup code is in “My reservations”.'
    );
    expect(messageFor('reservation.not_allocated', 'fr', params).title).toBe('Tirage au sort : liste d’attente pour Pain');
    expect(messageFor('offer.new', 'en', { ...params, distanceKm: 1.26 }).body).toBe('Boulangerie, 1.3 km away. Pick up from Sun 29 Nov, 19:00 to 20:00.');
    expect(messageFor('reservation.reminder', 'de', params).title).toBe('Rappel : retrait avant 20:00');
  });

  it('adds the donor’s reason to a cancellation, and names "the donor" when the place is unknown', () => {
    expect(messageFor('offer.cancelled', 'fr', { ...params, reason: 'Four en panne' }).body).toBe(
      'Boulangerie a annulé ce don. Votre réservation est annulée ; vous n’avez rien à faire. Motif : Four en panne'
    );
    expect(messageFor('reservation.cancelled', 'en', { ...params, placeName: null, reason: 'Closed early' })).toEqual({
      title: 'Reservation cancelled by the donor: Pain',
      body: 'The donor cancelled your reservation of “Pain” (pickup from Sun 29 Nov, 19:00 to 20:00). Reason: Closed early'
    });
    expect(messageFor('reservation.cancelled', 'fr', { ...params, reason: '  ' }).body).not.toContain('Motif');
  });

  it('explains a no-show: the lowered limits until a day, or advice when none', () => {
    const penalty = { until: '2026-12-12T19:00:00.000Z', maxActiveReservations: 1 };
    const rule = { threshold: 2, windowDays: 30 };
    const fr = messageFor('reservation.no_show', 'fr', { ...params, penalty, noShowRule: rule });
    expect(fr.title).toBe('Réservation non retirée : Pain');
    expect(fr.body).toBe(
      'Personne n’est venu chercher « Pain » chez Boulangerie avant la fin du créneau (20:00) : la réservation est notée non retirée. ' +
        'Après 2 réservations non retirées en 30 jours, vous pouvez avoir 1 réservation à la fois jusqu’au 12 décembre 2026. Annuler à temps laisse le don à quelqu’un d’autre.'
    );
    expect(messageFor('reservation.no_show', 'en', { ...params, penalty: { ...penalty, maxActiveReservations: 0 }, noShowRule: rule }).body).toContain(
      'you may not reserve until 12 December 2026'
    );
    expect(messageFor('reservation.no_show', 'en', { ...params, penalty: null }).body).toContain('please cancel');
  });
});
