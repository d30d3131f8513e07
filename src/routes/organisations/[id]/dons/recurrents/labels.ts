import { t } from '$lib/i18n';

/** The field names of the recurring-offer form, for the error summary (read when rendering, in the page's language). */
export function seriesLabels(): Record<string, string> {
  return {
    title: t('donForm.title'),
    category: t('donForm.category'),
    quantity: t('donForm.quantity'),
    weightKg: t('donForm.weightKg'),
    weekdays: t('seriesForm.weekdays'),
    startTime: t('donForm.pickupStart'),
    endTime: t('donForm.pickupEnd'),
    pickupStart: t('donForm.pickupStart'),
    pickupEnd: t('donForm.pickupEnd'),
    endsOn: t('seriesForm.endsOn'),
    dateKind: t('donForm.dateKind'),
    dateOn: t('seriesForm.dateOffsetDays'),
    dateOffsetDays: t('seriesForm.dateOffsetDays'),
    storage: t('donForm.storage'),
    allergens: t('donForm.allergens'),
    diets: t('donForm.diets'),
    origins: t('donForm.origins'),
    audience: t('donForm.audience'),
    isRawAnimalProduct: t('donForm.isRawAnimalProduct'),
    valueEuros: t('donForm.valueEuros')
  };
}
