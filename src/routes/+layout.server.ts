import type { LayoutServerLoad } from './$types';

/** What every page needs: the language, the signed-in user (or null), whether the dev mailbox is on. */
export const load: LayoutServerLoad = async ({ locals, platform }) => ({
  locale: locals.locale,
  user: locals.user
    ? { id: locals.user.id, displayName: locals.user.displayName, isPlatformAdmin: locals.user.isPlatformAdmin }
    : null,
  devMailbox: platform?.services.config.DEV_MAILBOX ?? false,
  /** The header's unread badge: one indexed count, signed-in pages only. */
  unreadNotifications: locals.user && platform ? await platform.services.inbox.countUnread(locals.user.id) : 0,
  /** Shown on the error page so support can find the request in the logs. */
  requestId: locals.requestId
});
