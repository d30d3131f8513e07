import { t } from '$lib/i18n';

/** The offer form's field names (OfferForm), for the error summary (read when rendering, in the page's language). */
export function offerLabels(): Record<string, string> {
  return {
    title: t('donForm.title'),
    category: t('donForm.category'),
    quantity: t('donForm.quantity'),
    weightKg: t('donForm.weightKg'),
    pickupDate: t('donForm.pickupDate'),
    pickupStart: t('donForm.pickupStart'),
    pickupEnd: t('donForm.pickupEnd'),
    dateKind: t('donForm.dateKind'),
    dateOn: t('donForm.dateOn'),
    storage: t('donForm.storage'),
    allergens: t('donForm.allergens'),
    diets: t('donForm.diets'),
    origins: t('donForm.origins'),
    audience: t('donForm.audience'),
    isRawAnimalProduct: t('donForm.isRawAnimalProduct'),
    valueEuros: t('donForm.valueEuros')
  };
}
