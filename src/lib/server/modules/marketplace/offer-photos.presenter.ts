import { photoPath } from '../../photos/photos.rules.js';
import type { OfferPhotoRecord } from './offer-photos.repository.js';

/** What callers see of an offer photo: its text, sizes and where both images are served. */

export const OFFER_PHOTOS_BASE = '/api/v1/offer-photos';

export interface OfferPhotoView {
  id: string;
  position: number;
  alt: string;
  width: number;
  height: number;
  url: string;
  thumb: { url: string; width: number; height: number };
  createdAt: string;
}

export function presentOfferPhoto(p: OfferPhotoRecord): OfferPhotoView {
  return {
    id: p.id,
    position: p.position,
    alt: p.alt,
    width: p.width,
    height: p.height,
    url: photoPath(p.id, 'large', OFFER_PHOTOS_BASE),
    thumb: { url: photoPath(p.id, 'thumb', OFFER_PHOTOS_BASE), width: p.thumbWidth, height: p.thumbHeight },
    createdAt: p.createdAt
  };
}

