import { fail, type RequestEvent } from '@sveltejs/kit';
import { AppError } from '../server/errors';
import type { FieldMessage } from '../i18n/fields';
import type { PageActor } from './auth.server';
import { failWith, isAppErrorLike, stringField } from './forms.server';
import { photoFieldMessage, readLimitedForm } from './photo-form';

/**
 * The form actions of a photo page (a place's, an offer's): add (multipart, read within the upload
 * limit), describe, move a step, remove. Each calls the page's photo service, which checks the
 * policy; failures come back with the photo forms' wording, fields renamed to the page's inputs.
 */

/** What the actions need of a photo service (place photos and offer photos both fit). */
export interface PhotoPageService {
  addPhoto(actor: PageActor, targetId: string, upload: { file: Uint8Array | undefined; alt: unknown }): Promise<unknown>;
  updatePhoto(actor: PageActor, photoId: string, input: unknown): Promise<unknown>;
  deletePhoto(actor: PageActor, photoId: string): Promise<void>;
  maxBytes(): number;
}

/** What a page gives for one request: who acts, on what, its photos now, and the limits' wording. */
export interface PhotoPageContext {
  actor: PageActor;
  targetId: string;
  photos: { id: string; position: number }[];
  service: PhotoPageService;
  maxMb: number;
  /** The sentence when the per-target limit is reached. */
  full: FieldMessage;
}

function failPhoto(err: unknown, data: FormData, form: string, ctx: PhotoPageContext, rename: Record<string, string> = {}) {
  const failure = failWith(err, data, { form });
  const issues = isAppErrorLike(err) ? (err.details?.fields ?? []) : [];
  const fields = { ...failure.data.fields };
  for (const issue of issues) {
    if (typeof issue?.path !== 'string') continue;
    const message = photoFieldMessage(issue, ctx.maxMb, ctx.full);
    if (message) fields[issue.path] = message;
  }
  const renamed = Object.fromEntries(Object.entries(fields).map(([k, v]) => [rename[k] ?? k, v]));
  return fail(failure.status, { ...failure.data, fields: renamed });
}

/** The four actions, given how a page finds its context (which throws the page's 403/404). */
export function photoActions<E extends RequestEvent>(contextOf: (event: E) => Promise<PhotoPageContext>) {
  const photoOf = (ctx: PhotoPageContext, data: FormData) => ctx.photos.find((p) => p.id === stringField(data, 'photoId'));
  return {
    /** Adds a photo: the body is read within the upload limit (pages have no other body limit). */
    add: async (event: E) => {
      const ctx = await contextOf(event);
      let data: FormData;
      try {
        data = await readLimitedForm(
          event.request,
          ctx.service.maxBytes() + 64 * 1024,
          () => new AppError('payload_too_large', 'The photo is too large', { fields: [{ path: 'file', message: 'too large', code: 'too_big' }] })
        );
      } catch (err) {
        if (!isAppErrorLike(err)) return fail(400, { form: 'add', code: 'bad_request', fields: {}, values: {} });
        return failPhoto(err, new FormData(), 'add', ctx);
      }
      const file = data.get('file');
      try {
        await ctx.service.addPhoto(ctx.actor, ctx.targetId, {
          file: file instanceof Blob && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : undefined,
          alt: stringField(data, 'alt')
        });
      } catch (err) {
        data.delete('file');
        return failPhoto(err, data, 'add', ctx);
      }
      return { done: 'added' as const };
    },

    /** Saves the description of one photo. */
    alt: async (event: E) => {
      const data = await event.request.formData();
      const ctx = await contextOf(event);
      const photo = photoOf(ctx, data);
      if (!photo) return fail(404, { form: 'alt', code: 'not_found', fields: {}, values: {} });
      try {
        await ctx.service.updatePhoto(ctx.actor, photo.id, { alt: stringField(data, 'alt') });
      } catch (err) {
        return failPhoto(err, data, `alt-${photo.id}`, ctx, { alt: `alt-${photo.id}` });
      }
      return { done: 'altSaved' as const, photoId: photo.id };
    },

    /** Moves one photo a step earlier (`by=-1`) or later (`by=1`). */
    move: async (event: E) => {
      const data = await event.request.formData();
      const ctx = await contextOf(event);
      const photo = photoOf(ctx, data);
      if (!photo) return fail(404, { form: 'move', code: 'not_found', fields: {}, values: {} });
      const by = stringField(data, 'by') === '-1' ? -1 : 1;
      const position = Math.min(Math.max(photo.position + by, 1), ctx.photos.length);
      try {
        await ctx.service.updatePhoto(ctx.actor, photo.id, { position });
      } catch (err) {
        return failPhoto(err, data, 'move', ctx);
      }
      return { done: 'moved' as const };
    },

    /** Removes one photo. */
    remove: async (event: E) => {
      const data = await event.request.formData();
      const ctx = await contextOf(event);
      const photo = photoOf(ctx, data);
      if (!photo) return fail(404, { form: 'remove', code: 'not_found', fields: {}, values: {} });
      try {
        await ctx.service.deletePhoto(ctx.actor, photo.id);
      } catch (err) {
        return failPhoto(err, data, 'remove', ctx);
      }
      return { done: 'removed' as const };
    }
  };
}
