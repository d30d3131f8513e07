import { error, type RequestEvent } from '@sveltejs/kit';
import { PHOTO_ALT_MAX, PHOTO_LARGE_PX, PHOTOS_PER_PLACE } from '$lib/schemas/photos';
import { photoActions, type PhotoPageContext } from '$lib/web/photo-actions.server';
import { loadEditable } from '../modifier/edit.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/lieux/{slug}/photos`: the photos of a place for who may edit its identity (owners, managers,
 * admins; 403 for others): add one (multipart form, works without JavaScript), describe, reorder,
 * remove. Every action calls the photos service, which checks the policy and writes the revision.
 */

async function editable(event: Pick<RequestEvent, 'locals' | 'url' | 'platform' | 'params'>) {
  const ctx = await loadEditable(event);
  if (!ctx.detail.permissions?.canManagePhotos) error(403, 'Forbidden');
  return ctx;
}

export const load: PageServerLoad = async (event) => {
  const { detail, services } = await editable(event);
  return {
    place: { id: detail.id, slug: detail.slug, name: detail.name },
    photos: detail.photos.map((p) => ({
      id: p.id,
      position: p.position,
      alt: p.alt,
      url: p.url,
      thumb: p.thumb
    })),
    limits: {
      max: PHOTOS_PER_PLACE,
      altMax: PHOTO_ALT_MAX,
      mb: services.config.PHOTO_UPLOAD_MAX_MB,
      px: PHOTO_LARGE_PX
    }
  };
};

async function context(event: RequestEvent): Promise<PhotoPageContext> {
  const { services, actor, detail } = await editable(event);
  return {
    actor,
    targetId: detail.id,
    photos: detail.photos,
    service: services.photos,
    maxMb: services.config.PHOTO_UPLOAD_MAX_MB,
    full: { key: 'placePhotos.full', params: { max: PHOTOS_PER_PLACE } }
  };
}

export const actions: Actions = photoActions(context);
