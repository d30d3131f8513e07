import { alertSettingsSchema, pushSubscriptionSchema } from '$lib/schemas/notifications';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { failWith, optionalString, parseInput, stringField } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

/** Notification settings: Web Push on this device (a small script), alerts for new offers near me. */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  return {
    alerts: await services.alerts.getAlertSettings(actor.userId),
    pushPublicKey: services.inbox.pushPublicKey(),
    pushDevices: await services.inbox.countPushSubscriptions(actor.userId)
  };
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const actions: Actions = {
  /** New-offer alerts: on/off, quiet hours, daily cap (the saved area itself is set on the feed). */
  alerts: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      const input = parseInput(alertSettingsSchema, {
        notifyNewOffers: data.get('notifyNewOffers') === 'on',
        quietStart: optionalString(data, 'quietStart') ?? null,
        quietEnd: optionalString(data, 'quietEnd') ?? null,
        dailyCap: Number(optionalString(data, 'dailyCap') ?? 'x')
      });
      await servicesOf(event).alerts.saveAlertSettings(actor.userId, input);
    } catch (err) {
      return failWith(err, data, { form: 'alerts' });
    }
    return { done: 'alerts' as const };
  },
  /** Called by the page's script with this browser's PushSubscription (JSON in `subscription`). */
  pushOn: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      const input = parseInput(pushSubscriptionSchema, parseJson(stringField(data, 'subscription')));
      await servicesOf(event).inbox.subscribePush(actor, input);
    } catch (err) {
      return failWith(err, data, { form: 'push' });
    }
    return { done: 'pushOn' as const };
  },
  /** Forgets this browser's subscription (the script unsubscribes it in the browser too). */
  pushOff: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      await servicesOf(event).inbox.unsubscribePush(actor, stringField(data, 'endpoint'));
    } catch (err) {
      return failWith(err, data, { form: 'push' });
    }
    return { done: 'pushOff' as const };
  }
};
