import { inboxQuerySchema } from '$lib/schemas/notifications';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { failWith, stringField } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

/** The signed-in person's notifications, newest first, 20 a page (`?page=`). */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const parsed = inboxQuerySchema.safeParse({ page: event.url.searchParams.get('page') ?? undefined });
  const page = parsed.success ? parsed.data.page : 1;
  const inbox = await servicesOf(event).inbox.listInbox(actor, { page, limit: 20 });
  return { inbox };
};

export const actions: Actions = {
  /** Marks one notification read (works without JavaScript: the page reloads with it read). */
  read: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      await servicesOf(event).inbox.markRead(actor, stringField(data, 'id'));
    } catch (err) {
      return failWith(err, data, { form: 'read' });
    }
    return { done: 'read' as const };
  },
  /** Marks every notification read. */
  readAll: async (event) => {
    const actor = actorOf(event);
    await servicesOf(event).inbox.markAllRead(actor);
    return { done: 'readAll' as const };
  }
};
