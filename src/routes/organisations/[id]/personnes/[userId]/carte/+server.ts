import { error } from '@sveltejs/kit';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { isAppErrorLike } from '$lib/web/forms.server';
import type { RequestHandler } from './$types';

/**
 * The person's active card as a printable PDF (`?format=a6` or `id1`), for members of the
 * accompanying organisation (the session is checked; printing is audited as an act for the person).
 */
export const GET: RequestHandler = async (event) => {
  const actor = actorOf(event);
  const people = servicesOf(event).people;
  try {
    const cardId = await people.activeCardId(actor, event.params.userId);
    if (!cardId) error(404, 'No active card');
    const { pdf, format } = await people.printCard(actor, cardId, event.url.searchParams.get('format') ?? 'a6');
    return new Response(new Uint8Array(pdf), {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Length': String(pdf.byteLength),
        'Content-Disposition': `inline; filename="carte-glane-${format}.pdf"`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff'
      }
    });
  } catch (err) {
    if (isAppErrorLike(err) && err.code === 'validation_failed') error(400, 'Invalid format');
    if (isAppErrorLike(err) && (err.code === 'not_found' || err.code === 'gone')) error(404, 'Not found');
    throw err;
  }
};
