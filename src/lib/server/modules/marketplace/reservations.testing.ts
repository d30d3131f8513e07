// The marketplace's factories are in marketplace.testing.ts; re-exported here for bench/claims,
// which this change does not touch.
export { grantAntiGaspi, insertTestOffer, insertTestPerson } from './marketplace.testing.js';
