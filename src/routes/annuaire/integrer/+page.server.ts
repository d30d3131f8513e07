import type { MessageKey } from '$lib/i18n';
import { translate, type Params } from '$lib/i18n/all';
import { PUBLICS_VALUES } from '$lib/schemas/data-inclusion';
import { CATEGORIES } from '$lib/schemas/directory-vocabulary';
import { parseSearchQuery } from '$lib/server/modules/directory/search.rules';
import { servicesOf } from '$lib/web/auth.server';
import { relayAddressSearch } from '../adresse/address';
import { one } from '../view.server';
import {
  AA_RATIO,
  checkColours,
  contrastRatio,
  DEFAULT_PRIMARY,
  DEFAULT_TEXT,
  iframeSnippet,
  parseHeight,
  RADIUS_CHOICES,
  ratioText,
  widgetQuery,
  type WidgetOptions
} from '../../widget/widget.rules';
import type { PageServerLoad } from './$types';

/** A message of the page: a catalogue key and its parameters. */
interface PageMessage {
  key: MessageKey;
  params?: Params;
}

const many = (params: URLSearchParams, name: string, allowed: readonly string[]) =>
  [...new Set(params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()))].filter((v) => allowed.includes(v));

/**
 * `/annuaire/integrer`: the widget generator. A GET form (works without JavaScript) whose answer is
 * the preview of the widget and the `<iframe>` snippet to paste. The area is a commune (INSEE code),
 * an address looked up here, or a position ("near me"); colours are checked for AA contrast, with
 * the computed ratio shown, and the widget keeps Glane's colours until they pass.
 */
export const load: PageServerLoad = async (event) => {
  const services = servicesOf(event);
  const params = event.url.searchParams;
  const pageLocale = event.locals.locale;
  const messages: PageMessage[] = [];

  let adresse = one(params, 'adresse');
  let commune = one(params, 'commune').toUpperCase();
  let lat = one(params, 'lat');
  let lng = one(params, 'lng');
  let lieu = one(params, 'lieu');
  const radius = one(params, 'radiusKm');
  const radiusKm = (RADIUS_CHOICES as readonly number[]).includes(Number(radius)) ? String(Number(radius)) : '';

  // An address wins, then a commune typed, then the point already chosen.
  if (adresse) {
    const found = await relayAddressSearch(services, event.getClientAddress, adresse);
    const best = found.suggestions[0];
    if (best) {
      lat = best.lat.toFixed(5);
      lng = best.lng.toFixed(5);
      lieu = best.label;
      commune = '';
      adresse = '';
    } else {
      messages.push({ key: found.error ? 'directory.address.unavailable' : 'directory.search.addressNotFound' });
    }
  }
  if (commune) {
    lat = lng = lieu = '';
    if (!parseSearchQuery({ commune }).ok) {
      messages.push({ key: 'embed.invalidCommune' });
      commune = '';
    }
  }
  if (lat || lng) {
    if (!parseSearchQuery({ lat, lng }).ok) {
      messages.push({ key: 'directory.search.invalid' });
      lat = lng = lieu = '';
    }
  }

  const rawPrimary = one(params, 'couleur');
  const rawText = one(params, 'couleurTexte');
  const colours = checkColours(rawPrimary, rawText);
  const locale = one(params, 'langue');
  const options: WidgetOptions = {
    lat,
    lng,
    radiusKm: lat && lng ? radiusKm : '',
    commune,
    categories: many(params, 'categories', CATEGORIES),
    publics: many(params, 'publics', PUBLICS_VALUES),
    openNow: ['1', 'true', 'on'].includes(one(params, 'ouvert')),
    map: ['1', 'true', 'on'].includes(one(params, 'carte')),
    primary: colours.primary,
    text: colours.text,
    locale: locale === 'fr' || locale === 'en' ? locale : ''
  };
  const height = parseHeight(params.get('hauteur'));
  const query = widgetQuery(options);
  const ratio = (value: number) => {
    const text = ratioText(value);
    return pageLocale === 'fr' ? text.replace('.', ',') : text;
  };
  const colourMessages: PageMessage[] = colours.problems.map((p) =>
    'ratio' in p ? { key: `embed.colour.${p.kind}`, params: { ratio: ratio(p.ratio) } } : { key: `embed.colour.${p.kind}` }
  );
  const colourCheck: PageMessage | null =
    colours.problems.length === 0
      ? {
          key: 'embed.colour.ok',
          params: { primary: ratio(contrastRatio(colours.primary, '#ffffff')), text: ratio(contrastRatio(colours.text, colours.primary)) }
        }
      : null;

  return {
    values: {
      adresse,
      commune,
      lat,
      lng,
      lieu,
      radiusKm: options.radiusKm,
      categories: options.categories,
      publics: options.publics,
      ouvert: options.openNow,
      carte: options.map,
      couleur: rawPrimary || DEFAULT_PRIMARY,
      couleurTexte: rawText || DEFAULT_TEXT,
      hauteur: height,
      langue: options.locale
    },
    radiusChoices: [...RADIUS_CHOICES],
    minRatio: AA_RATIO,
    messages,
    colourMessages,
    colourCheck,
    previewSrc: `/widget${query ? `?${query}` : ''}`,
    snippet: iframeSnippet(
      `${services.config.PUBLIC_URL}/widget${query ? `?${query}` : ''}`,
      translate(options.locale || pageLocale, 'widget.frameTitle'),
      height
    )
  };
};
