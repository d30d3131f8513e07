import { describe, expect, it } from 'vitest';
import { toOfferView } from '../server/modules/marketplace/offers.presenter';
import type { OfferRecord } from '../server/modules/marketplace/offers.repository';
import { blankOfferValues, defaultWindow, offerFormInput, offerFormValues } from './offers.server';

const record: OfferRecord = {
  id: 'o1',
  organisationId: 'org',
  organisationName: 'Poissonnerie',
  donorUserId: null,
  postedByUserId: 'u1',
  seriesId: null,
  occurrenceOn: null,
  title: 'Filets de lieu',
  description: null,
  category: 'poisson',
  unit: 'unit',
  quantity: 4,
  remaining: 4,
  weightGrams: null,
  dateKind: 'none',
  dateOn: null,
  allergens: [],
  allergenMask: 0,
  diets: [],
  dietMask: 0,
  storage: 'chilled',
  origins: [],
  addressLine: null,
  postalCode: null,
  city: 'Lille',
  lat: 50.6,
  lng: 3.1,
  pickupStartsAt: '2026-11-29T17:00:00.000Z',
  pickupEndsAt: '2026-11-29T18:00:00.000Z',
  audience: 'partners',
  partnersUntil: null,
  poolingEndsAt: null,
  valueCents: null,
  partnerAcceptsShorter: true,
  isRawAnimalProduct: true,
  status: 'published',
  cancelReason: null,
  cancelledAt: null,
  version: 1,
  isDemo: false,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z'
};

describe('the donor form and the stored declarations', () => {
  it('checks the boxes of what the offer declares, so saving an edit keeps them', () => {
    const values = offerFormValues(toOfferView(record, { forDonor: true }));
    expect(values).toMatchObject({ partnerAcceptsShorter: 'on', isRawAnimalProduct: 'on' });
    const none = offerFormValues(toOfferView({ ...record, partnerAcceptsShorter: false, isRawAnimalProduct: false }));
    expect(none).toMatchObject({ partnerAcceptsShorter: '', isRawAnimalProduct: '' });

    // What the form posts back (checked boxes send "on") reaches the service as true.
    const data = new FormData();
    data.set('partnerAcceptsShorter', 'on');
    expect(offerFormInput(data)).toMatchObject({ partnerAcceptsShorter: true, isRawAnimalProduct: false });
  });
});

describe('the blank offer form', () => {
  it("gives the category asked, the usual choices, and today's window typed in Paris time", () => {
    // 10:02 UTC in winter is 11:02 in Paris: the window starts at 11:20 (now + 15 min, rounded up to 5) for one hour.
    const values = blankOfferValues('fruits-legumes', defaultWindow(new Date('2026-11-29T10:02:00Z')));
    expect(values).toEqual({
      category: 'fruits-legumes',
      unit: 'unit',
      quantity: '',
      dateKind: 'none',
      storage: 'ambient',
      allergens: [],
      diets: [],
      origins: [],
      audience: 'people',
      pickupDate: '2026-11-29',
      pickupStart: '11:20',
      pickupEnd: '12:20'
    });
  });
});
