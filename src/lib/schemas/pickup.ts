import { z } from 'zod';

/**
 * Inputs of the donor's handover (remise), shared by the API and the page /organisations/[id]/remise.
 * The code's alphabet and length are checked by pickup.rules.ts (normaliseHandoverCode), which names `code`.
 */

/** A pickup code (6 symbols) or an accompanied person's card code (8), as typed or scanned. */
export const handoverLookupInput = z.strictObject({
  code: z.string().trim().min(1, { message: 'required' }).max(40)
});
export type HandoverLookupInput = z.input<typeof handoverLookupInput>;

/** Units handed over: all of the reservation, or part of it (the rest goes back to the offer). */
export const collectInput = z.strictObject({
  quantity: z.number().int().min(1).max(10_000)
});
export type CollectInput = z.input<typeof collectInput>;

/** The donor's reason, told to the person. */
export const donorCancelInput = z.strictObject({
  reason: z.string().trim().min(3, { message: 'at least 3 characters' }).max(500)
});
export type DonorCancelInput = z.input<typeof donorCancelInput>;
