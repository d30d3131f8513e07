import { error } from '@sveltejs/kit';
import type { MessageKey } from '$lib/i18n/fr';
import { hasMessage, translate } from '$lib/i18n/all';
import { isAppErrorLike } from '$lib/web/forms.server';
import { asRecord, changeLines } from './history';
import { loadEditable } from '../modifier/edit.server';
import type { PageServerLoad } from './$types';

/**
 * `/lieux/{slug}/historique`: the change history of a place for the members of its organisation:
 * who, when, which section, and each field before → after. Paged by `?apres=` cursor.
 */
export const load: PageServerLoad = async (event) => {
  const { services, actor, detail } = await loadEditable(event);
  if (!detail.permissions?.canViewRevisions) error(403, 'Forbidden');
  const locale = event.locals.locale;
  const cursor = event.url.searchParams.get('apres') ?? undefined;
  let page;
  try {
    page = await services.directory.listRevisions(actor, detail.id, { cursor, limit: 20 });
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'validation_failed') error(400, 'Bad cursor');
    throw err;
  }
  const serviceNames = new Map(detail.services.map((s) => [s.id, s.name]));
  return {
    place: { slug: detail.slug, name: detail.name, canEdit: detail.permissions.canEdit },
    nextCursor: page.nextCursor,
    revisions: page.items.map((r) => {
      const sectionKey = `history.section.${r.section ?? 'place'}`;
      const serviceName =
        (r.serviceId ? serviceNames.get(r.serviceId) : null) ??
        (typeof asRecord(r.after).name === 'string' && r.serviceId ? (asRecord(r.after).name as string) : null) ??
        (typeof asRecord(r.before).name === 'string' && r.serviceId ? (asRecord(r.before).name as string) : null);
      return {
        id: r.id,
        at: r.at,
        actor: r.actorName ?? r.actorLabel ?? translate(locale, 'history.unknownActor'),
        action: translate(locale, `history.action.${r.action}` as MessageKey),
        section: hasMessage(sectionKey) ? translate(locale, sectionKey as MessageKey) : (r.section ?? ''),
        service: serviceName,
        // A deletion keeps the whole record: list it as removed values rather than a long diff.
        changes: r.action === 'verify' ? [] : changeLines(r.before, r.after, locale)
      };
    })
  };
};
