// The marketplace's factories are in marketplace.testing.ts; re-exported here for the offer-photos
// tests, which this change does not touch.
export { breadOffer, insertDonorOrganisation } from './marketplace.testing.js';
