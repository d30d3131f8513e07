import { describe, expect, it } from 'vitest';
import {
  checkOfferSafety,
  DEFAULT_MARKETPLACE_SETTINGS,
  dlcEndsAt,
  isIsoDate,
  isOfferLive,
  offerPhotoCacheControl,
  offerPhotoPurgeBefore,
  readMarketplaceSettings,
  type OfferSafetyInput
} from './marketplace.rules.js';

const now = new Date('2026-11-29T17:00:00Z'); // 18:00 in Paris

function offer(over: Partial<OfferSafetyInput> = {}): OfferSafetyInput {
  return {
    category: 'pain-viennoiserie',
    quantity: 10,
    dateKind: 'none',
    dateOn: null,
    storage: 'ambient',
    audience: 'people',
    allergens: ['gluten'],
    diets: ['vegetarien'],
    origins: ['local'],
    pickupStartsAt: '2026-11-29T18:00:00Z',
    pickupEndsAt: '2026-11-29T19:00:00Z',
    partnerAcceptsShorter: false,
    isRawAnimalProduct: false,
    postedBy: 'organisation',
    ...over
  };
}

const settings = { ...DEFAULT_MARKETPLACE_SETTINGS };
const codes = (o: OfferSafetyInput, s = settings) => checkOfferSafety(o, s, now).map((i) => `${i.path}:${i.code}`);

describe('readMarketplaceSettings', () => {
  it('gives the defaults when nothing is stored', () => {
    expect(readMarketplaceSettings(null)).toEqual(DEFAULT_MARKETPLACE_SETTINGS);
    expect(readMarketplaceSettings(undefined).partnerMinDlcHours).toBe(48);
  });
  it('gives the defaults when the stored text is not JSON or not an object', () => {
    expect(readMarketplaceSettings('{oops')).toEqual(DEFAULT_MARKETPLACE_SETTINGS);
    expect(readMarketplaceSettings('[1,2]')).toEqual(DEFAULT_MARKETPLACE_SETTINGS);
    expect(readMarketplaceSettings('42')).toEqual(DEFAULT_MARKETPLACE_SETTINGS);
  });
  it('keeps valid values and replaces invalid ones by their default, one by one', () => {
    const s = readMarketplaceSettings(
      JSON.stringify({ maxChilledWindowHours: 2, poolingMinutes: -3, individualsMayPost: 'yes', maxPickupsPerWeek: 1.5 })
    );
    expect(s.maxChilledWindowHours).toBe(2);
    expect(s.poolingMinutes).toBe(10);
    expect(s.individualsMayPost).toBe(false);
    expect(s.maxPickupsPerWeek).toBe(4);
  });
  it('has every default listed in the design', () => {
    expect(DEFAULT_MARKETPLACE_SETTINGS).toEqual({
      individualsMayPost: false,
      partnerMinDlcHours: 48,
      maxChilledWindowHours: 4,
      poolingMinutes: 10,
      maxActiveReservations: 3,
      maxUnitsPerOfferPerPerson: 2,
      maxPickupsPerWeek: 4,
      noShowThreshold: 2,
      noShowWindowDays: 30,
      noShowPenaltyDays: 14,
      penaltyMaxActiveReservations: 1,
      lotteryLookbackDays: 30,
      newOfferDailyCapDefault: 5,
      reminderMinutesBeforeEnd: 30
    });
  });
});

describe('dlcEndsAt and isIsoDate', () => {
  it('ends a DLC at midnight in Paris, winter and summer', () => {
    expect(dlcEndsAt('2026-11-29').toISOString()).toBe('2026-11-29T23:00:00.000Z');
    expect(dlcEndsAt('2026-07-14').toISOString()).toBe('2026-07-14T22:00:00.000Z');
    expect(dlcEndsAt('2026-03-28').toISOString()).toBe('2026-03-28T23:00:00.000Z'); // DST starts on the 29th at 02:00
  });
  it('accepts only real dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('29/11/2026')).toBe(false);
  });
});

describe('checkOfferSafety', () => {
  it('accepts a plain bread offer for tonight', () => {
    expect(codes(offer())).toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the quantity %s', (quantity) => {
    expect(codes(offer({ quantity }))).toEqual(['quantity:quantity_not_positive_integer']);
  });

  it('refuses a window ending before it starts, or at its start', () => {
    expect(codes(offer({ pickupEndsAt: '2026-11-29T17:30:00Z' }))).toEqual(['pickupEndsAt:window_ends_before_start']);
    expect(codes(offer({ pickupEndsAt: '2026-11-29T18:00:00Z' }))).toEqual(['pickupEndsAt:window_ends_before_start']);
  });
  it('refuses a window already over, accepts one already started', () => {
    expect(codes(offer({ pickupStartsAt: '2026-11-29T15:00:00Z', pickupEndsAt: '2026-11-29T16:00:00Z' }))).toEqual([
      'pickupEndsAt:window_in_past'
    ]);
    expect(codes(offer({ pickupStartsAt: '2026-11-29T16:30:00Z', pickupEndsAt: '2026-11-29T17:30:00Z' }))).toEqual([]);
  });
  it('refuses unreadable window times, naming each field', () => {
    expect(codes(offer({ pickupStartsAt: 'tonight', pickupEndsAt: 'later' }))).toEqual([
      'pickupStartsAt:window_invalid_date',
      'pickupEndsAt:window_invalid_date'
    ]);
  });

  it('refuses a DLC whose day ends before the window ends (a DLC in the past)', () => {
    expect(codes(offer({ dateKind: 'dlc', dateOn: '2026-11-28' }))).toEqual(['dateOn:dlc_before_window_end']);
  });
  it('accepts a DLC of today for a window ending tonight in Paris', () => {
    expect(codes(offer({ dateKind: 'dlc', dateOn: '2026-11-29' }))).toEqual([]);
  });
  it('refuses a DLC of today for a window running past midnight in Paris', () => {
    expect(codes(offer({ dateKind: 'dlc', dateOn: '2026-11-29', pickupEndsAt: '2026-11-29T23:30:00Z' }))).toEqual([
      'dateOn:dlc_before_window_end'
    ]);
  });
  it('accepts a DDM in the past (best-before food may be given after its date)', () => {
    expect(codes(offer({ dateKind: 'ddm', dateOn: '2026-11-01' }))).toEqual([]);
  });
  it('needs a real date for a DLC or a DDM', () => {
    expect(codes(offer({ dateKind: 'dlc', dateOn: null }))).toEqual(['dateOn:date_required']);
    expect(codes(offer({ dateKind: 'ddm', dateOn: '2026-02-31' }))).toEqual(['dateOn:date_invalid']);
  });

  describe('partner associations (D.541-310: 48 h)', () => {
    it.each(['partners', 'partners-first'])('refuses a DLC under 48 h after the window for %s', (audience) => {
      expect(codes(offer({ audience, dateKind: 'dlc', dateOn: '2026-11-30' }))).toEqual(['dateOn:dlc_too_close_for_partners']);
    });
    it('accepts exactly 48 h after the window', () => {
      // window ends 2026-11-29T23:00Z; DLC 2026-12-01 ends 2026-12-01T23:00Z = +48 h
      expect(
        codes(offer({ audience: 'partners', dateKind: 'dlc', dateOn: '2026-12-01', pickupEndsAt: '2026-11-29T23:00:00Z', pickupStartsAt: '2026-11-29T22:00:00Z' }))
      ).toEqual([]);
      expect(
        codes(offer({ audience: 'partners', dateKind: 'dlc', dateOn: '2026-12-01', pickupEndsAt: '2026-11-29T23:01:00Z', pickupStartsAt: '2026-11-29T22:00:00Z' }))
      ).toEqual(['dateOn:dlc_too_close_for_partners']);
    });
    it('accepts a shorter DLC when the partner accepts shorter', () => {
      expect(codes(offer({ audience: 'partners', dateKind: 'dlc', dateOn: '2026-11-30', partnerAcceptsShorter: true }))).toEqual([]);
    });
    it('still refuses a DLC before the window end even when the partner accepts shorter', () => {
      expect(codes(offer({ audience: 'partners', dateKind: 'dlc', dateOn: '2026-11-28', partnerAcceptsShorter: true }))).toEqual([
        'dateOn:dlc_before_window_end'
      ]);
    });
    it('follows the setting', () => {
      const s = { ...settings, partnerMinDlcHours: 12 };
      expect(codes(offer({ audience: 'partners', dateKind: 'dlc', dateOn: '2026-11-30' }), s)).toEqual([]);
    });
    it('does not apply to people', () => {
      expect(codes(offer({ audience: 'people', dateKind: 'dlc', dateOn: '2026-11-30' }))).toEqual([]);
    });
  });

  describe('cold chain', () => {
    it.each(['chilled', 'frozen'])('refuses a %s window longer than the setting', (storage) => {
      expect(codes(offer({ storage, pickupEndsAt: '2026-11-29T22:00:01Z' }))).toEqual(['pickupEndsAt:chilled_window_too_long']);
      expect(codes(offer({ storage, pickupEndsAt: '2026-11-29T22:00:00Z' }))).toEqual([]);
    });
    it('lets ambient food have a long window', () => {
      expect(codes(offer({ pickupEndsAt: '2026-11-30T18:00:00Z' }))).toEqual([]);
    });
    it('follows the setting', () => {
      expect(codes(offer({ storage: 'chilled' }), { ...settings, maxChilledWindowHours: 1 })).toEqual([]);
      expect(codes(offer({ storage: 'chilled', pickupEndsAt: '2026-11-29T19:30:00Z' }), { ...settings, maxChilledWindowHours: 1 })).toEqual([
        'pickupEndsAt:chilled_window_too_long'
      ]);
    });
  });

  describe('private people', () => {
    const allowed = { ...settings, individualsMayPost: true };
    it('refuses raw animal products from a private person', () => {
      expect(codes(offer({ postedBy: 'individual', isRawAnimalProduct: true }), allowed)).toEqual([
        'isRawAnimalProduct:raw_animal_product_from_individual'
      ]);
    });
    it('accepts raw animal products from a business', () => {
      expect(codes(offer({ isRawAnimalProduct: true }))).toEqual([]);
    });
    it('refuses any offer from a private person when the territory does not allow it', () => {
      expect(codes(offer({ postedBy: 'individual' }))).toEqual(['organisationId:individuals_may_not_post']);
      expect(codes(offer({ postedBy: 'individual' }), allowed)).toEqual([]);
    });
  });

  describe('closed lists', () => {
    it('names an unknown allergen, diet, origin, category, storage, date kind and audience', () => {
      expect(
        codes(
          offer({
            allergens: ['gluten', 'kiwi'],
            diets: ['paleo'],
            origins: ['space'],
            category: 'caviar',
            storage: 'warm',
            dateKind: 'someday',
            audience: 'everyone'
          })
        )
      ).toEqual([
        'category:unknown_category',
        'storage:unknown_storage',
        'dateKind:unknown_date_kind',
        'audience:unknown_audience',
        'allergens:unknown_allergen',
        'diets:unknown_diet',
        'origins:unknown_origin'
      ]);
    });
    it('accepts all 14 EU allergens', () => {
      const all = ['gluten', 'crustaces', 'oeufs', 'poissons', 'arachides', 'soja', 'lait', 'fruits-a-coque', 'celeri', 'moutarde', 'sesame', 'sulfites', 'lupin', 'mollusques'];
      expect(codes(offer({ allergens: all }))).toEqual([]);
    });
  });

  it('reports several broken rules at once, each with a message', () => {
    const issues = checkOfferSafety(offer({ quantity: 0, dateKind: 'dlc', dateOn: '2026-11-01' }), settings, now);
    expect(issues.map((i) => i.code)).toEqual(['quantity_not_positive_integer', 'dlc_before_window_end']);
    for (const i of issues) expect(i.message.length).toBeGreaterThan(10);
  });
});

describe('offer photos: who sees them and for how long', () => {
  const live = { status: 'published', pickupEndsAt: '2026-11-29T18:00:00Z' }; // an hour after `now`

  it('is live while published and its window has not ended', () => {
    expect(isOfferLive(live, now)).toBe(true);
    expect(isOfferLive({ ...live, pickupEndsAt: now.toISOString() }, now)).toBe(false);
    expect(isOfferLive({ ...live, status: 'cancelled' }, now)).toBe(false);
  });

  it('caches a live photo publicly until the window ends (at most a week), a donor-only one privately', () => {
    expect(offerPhotoCacheControl(live, now, 604_800)).toBe('public, max-age=3600');
    expect(offerPhotoCacheControl({ ...live, pickupEndsAt: '2026-12-29T18:00:00Z' }, now, 604_800)).toBe('public, max-age=604800');
    expect(offerPhotoCacheControl({ ...live, status: 'cancelled' }, now, 604_800)).toBe('private, no-cache');
  });

  it('purges before now minus the retention days', () => {
    expect(offerPhotoPurgeBefore(now, 30)).toBe('2026-10-30T17:00:00.000Z');
  });
});
