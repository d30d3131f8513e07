import { z } from 'zod';

/**
 * Photos of places and offers: limits and input schemas shared by the API, the service and the pages.
 * The file itself is checked by the service (type from its bytes, size, pixels); here only the
 * words around it. Positions count from 1 (the first photo is shown first).
 */

/** Photos a place may have at most. */
export const PHOTOS_PER_PLACE = 6;
/** Photos an offer (don) may have at most: enough to show the food and its label, light on a phone. */
export const PHOTOS_PER_OFFER = 3;
/** Longest alternative text: one or two sentences read by a screen reader. */
export const PHOTO_ALT_MAX = 200;
/** Long side of the large image and of the thumbnail, in pixels (never enlarged). */
export const PHOTO_LARGE_PX = 1600;
export const PHOTO_THUMB_PX = 480;
/** The two stored sizes of a photo, as named in its URL (`/api/v1/photos/{id}/{size}.webp`). */
export const PHOTO_SIZES = ['large', 'thumb'] as const;
export type PhotoSize = (typeof PHOTO_SIZES)[number];
/** Types accepted on upload, as detected from the file's bytes. */
export const PHOTO_INPUT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** Alternative text: what the photo shows, for people who cannot see it. Required. */
export const photoAltSchema = z
  .string()
  .trim()
  .min(1, 'Describe what the photo shows')
  .max(PHOTO_ALT_MAX);

/** The words sent with a new photo (the file travels beside them). */
export const createPhotoSchema = z.strictObject({ alt: photoAltSchema });

/** Changes to a photo: its alternative text, its place in the order (1 = first). */
export const updatePhotoSchema = z
  .strictObject({
    alt: photoAltSchema.optional(),
    position: z.number().int().min(1).max(PHOTOS_PER_PLACE).optional()
  })
  .refine((v) => v.alt !== undefined || v.position !== undefined, { message: 'Give alt, position, or both' });
export type UpdatePhotoInput = z.input<typeof updatePhotoSchema>;

/** The first photo of an offer as the feed shows it: thumbnail, its size, its text. */
export const offerPhotoThumbSchema = z.object({
  url: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  alt: z.string()
});
export type OfferPhotoThumb = z.infer<typeof offerPhotoThumbSchema>;
