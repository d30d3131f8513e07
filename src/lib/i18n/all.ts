import { en } from './en';
import { registerCatalogue } from './translate';

/**
 * Every catalogue, for code that runs on the server (pages rendered there, emails and SMS, the
 * services) and for tests: import `translate` and `hasMessage` from here, never from `./translate`,
 * so English is always registered. The browser loads English only on English pages (`./load`).
 */
registerCatalogue('en', en);

export { hasMessage, interpolate, translate, type Params } from './translate';
