import { t } from '$lib/i18n';
import { offerLabels } from '../labels';

/** The field names of the recurring-offer form, for the error summary (read when rendering, in the page's language). */
export function seriesLabels(): Record<string, string> {
  return {
    ...offerLabels(),
    weekdays: t('seriesForm.weekdays'),
    startTime: t('donForm.pickupStart'),
    endTime: t('donForm.pickupEnd'),
    endsOn: t('seriesForm.endsOn'),
    dateOn: t('seriesForm.dateOffsetDays'),
    dateOffsetDays: t('seriesForm.dateOffsetDays')
  };
}
