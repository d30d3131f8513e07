import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { PHOTO_ALT_MAX, PHOTO_LARGE_PX, PHOTOS_PER_PLACE } from '$lib/schemas/photos';
import { AppError } from '$lib/server/errors';
import { failWith, isAppErrorLike, stringField } from '$lib/web/forms.server';
import { loadEditable } from '../modifier/edit.server';
import { photoFieldMessage, readLimitedForm } from '$lib/web/photo-form';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/lieux/{slug}/photos`: the photos of a place for who may edit its identity (owners, managers,
 * admins; 403 for others): add one (multipart form, works without JavaScript), describe, reorder,
 * remove. Every action calls the photos service, which checks the policy and writes the revision.
 */

type Event = Parameters<Actions[string]>[0];

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

/**
 * `failWith`, with the photo forms' wording for the file and the text, and field paths renamed to
 * this page's inputs (`alt` of a listed photo is `alt-<id>`).
 */
function failPhoto(err: unknown, data: FormData, form: string, maxMb: number, rename: Record<string, string> = {}) {
  const failure = failWith(err, data, { form });
  const issues = isAppErrorLike(err) ? (err.details?.fields ?? []) : [];
  const fields = { ...failure.data.fields };
  for (const issue of issues) {
    if (typeof issue?.path !== 'string') continue;
    const message = photoFieldMessage(issue, maxMb);
    if (message) fields[issue.path] = message;
  }
  const renamed = Object.fromEntries(Object.entries(fields).map(([k, v]) => [rename[k] ?? k, v]));
  return fail(failure.status, { ...failure.data, fields: renamed });
}

/** The photo named by the form, if it is one of this place's (else a 404 failure). */
function photoOf(detail: { photos: { id: string; position: number }[] }, data: FormData) {
  const id = stringField(data, 'photoId');
  return detail.photos.find((p) => p.id === id);
}

export const actions: Actions = {
  /** Adds a photo: the body is read within the upload limit (pages have no other body limit). */
  add: async (event: Event) => {
    const { services, actor, detail } = await editable(event);
    const maxMb = services.config.PHOTO_UPLOAD_MAX_MB;
    let data: FormData;
    try {
      data = await readLimitedForm(
        event.request,
        services.photos.maxBytes() + 64 * 1024,
        () =>
          new AppError('payload_too_large', 'The photo is too large', {
            fields: [{ path: 'file', message: 'too large', code: 'too_big' }]
          })
      );
    } catch (err) {
      if (!isAppErrorLike(err)) return fail(400, { form: 'add', code: 'bad_request', fields: {}, values: {} });
      return failPhoto(err, new FormData(), 'add', maxMb);
    }
    const file = data.get('file');
    try {
      await services.photos.addPhoto(actor, detail.id, {
        file: file instanceof Blob && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : undefined,
        alt: stringField(data, 'alt')
      });
    } catch (err) {
      data.delete('file');
      return failPhoto(err, data, 'add', maxMb);
    }
    return { done: 'added' as const };
  },

  /** Saves the description of one photo. */
  alt: async (event: Event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await editable(event);
    const photo = photoOf(detail, data);
    if (!photo) return fail(404, { form: 'alt', code: 'not_found', fields: {}, values: {} });
    try {
      await services.photos.updatePhoto(actor, photo.id, { alt: stringField(data, 'alt') });
    } catch (err) {
      return failPhoto(err, data, `alt-${photo.id}`, services.config.PHOTO_UPLOAD_MAX_MB, { alt: `alt-${photo.id}` });
    }
    return { done: 'altSaved' as const, photoId: photo.id };
  },

  /** Moves one photo a step earlier (`by=-1`) or later (`by=1`). */
  move: async (event: Event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await editable(event);
    const photo = photoOf(detail, data);
    if (!photo) return fail(404, { form: 'move', code: 'not_found', fields: {}, values: {} });
    const by = stringField(data, 'by') === '-1' ? -1 : 1;
    const position = Math.min(Math.max(photo.position + by, 1), detail.photos.length);
    try {
      await services.photos.updatePhoto(actor, photo.id, { position });
    } catch (err) {
      return failPhoto(err, data, 'move', services.config.PHOTO_UPLOAD_MAX_MB);
    }
    return { done: 'moved' as const };
  },

  /** Removes one photo. */
  remove: async (event: Event) => {
    const data = await event.request.formData();
    const { services, actor, detail } = await editable(event);
    const photo = photoOf(detail, data);
    if (!photo) return fail(404, { form: 'remove', code: 'not_found', fields: {}, values: {} });
    try {
      await services.photos.deletePhoto(actor, photo.id);
    } catch (err) {
      return failPhoto(err, data, 'remove', services.config.PHOTO_UPLOAD_MAX_MB);
    }
    return { done: 'removed' as const };
  }
};
