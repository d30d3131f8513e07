import { error } from '@sveltejs/kit';
import { DEFAULT_VALID_DAYS, MAX_VALID_DAYS, suggestCampaignName } from '$lib/server/modules/directory/freshness.rules';
import { actorOf, servicesOf } from '$lib/web/auth.server';
import { failWith, optionalString, stringField } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/admin/campagnes`: update campaigns of the directory, for platform admins and CCAS owners or
 * managers (the campaign policy; 403 for anyone else, sign-in first when signed out). Start one
 * (every organisation with places, or only those with a place to check; link validity) and follow
 * the campaigns already started with their counts.
 */
export const load: PageServerLoad = async (event) => {
  const actor = actorOf(event);
  const services = servicesOf(event);
  if (!(await services.freshness.mayRunCampaigns(actor))) error(403, 'Forbidden');
  return {
    campaigns: await services.freshness.listCampaigns(actor),
    suggestion: suggestCampaignName(services.now()),
    staleMonths: services.config.DIRECTORY_STALE_MONTHS,
    defaultDays: DEFAULT_VALID_DAYS,
    maxDays: MAX_VALID_DAYS
  };
};

/** A whole number typed in a field, or the text as typed (so the schema names the field). */
function wholeNumber(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  return /^\d{1,4}$/.test(text) ? Number(text) : text;
}

export const actions: Actions = {
  /** Starts (or continues) a campaign and answers what was sent to whom. */
  start: async (event) => {
    const actor = actorOf(event);
    const data = await event.request.formData();
    try {
      const result = await servicesOf(event).freshness.startCampaign(actor, {
        campaign: stringField(data, 'campaign').trim(),
        validDays: wholeNumber(optionalString(data, 'validDays')),
        ...(stringField(data, 'scope') === 'stale' ? { onlyStale: true } : {}),
        ...(data.get('resend') ? { resend: true } : {})
      });
      const named = (status: string) => result.organisations.filter((o) => o.status === status).map((o) => o.name);
      return {
        done: 'started' as const,
        campaign: result.campaign,
        counts: result.counts,
        noEmail: named('no_email'),
        failed: named('failed')
      };
    } catch (err) {
      return failWith(err, data, { form: 'start' });
    }
  }
};
