import { json } from '@sveltejs/kit';
import { translate } from '../../../lib/i18n/all';
import { relayAddressSearch } from './address';
import type { RequestHandler } from './$types';

/**
 * `GET /annuaire/adresse?q=…` → `{ suggestions: [{ label, citycode, city, postcode, lat, lng }], message? }`.
 * The browser's address autocomplete asks Glane, which asks the national address API
 * (ADDRESS_API_URL): the page's CSP lets scripts reach only this site, and no visitor address is
 * sent to a third party from the browser. A failure of the API gives no suggestions and a
 * translated message; too many requests from one address (this is a relay) give 429 and a message.
 */
export const GET: RequestHandler = async ({ url, platform, locals, getClientAddress }) => {
  const locale = locals.locale ?? 'fr';
  const services = platform?.services;
  if (!services) return json({ suggestions: [], message: translate(locale, 'directory.address.unavailable') }, { status: 503 });
  const result = await relayAddressSearch(services, getClientAddress, url.searchParams.get('q'));
  if (result.error === 'rate_limited') {
    return json({ suggestions: [], message: translate(locale, 'errors.rate_limited') }, { status: 429, headers: { 'cache-control': 'no-store' } });
  }
  return json(
    result.error
      ? { suggestions: [], message: translate(locale, 'directory.address.unavailable') }
      : { suggestions: result.suggestions },
    { headers: { 'cache-control': result.error ? 'no-store' : 'public, max-age=300' } }
  );
};
