import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** The reset link in emails (accounts' LINK_PATHS) lands here: same page as the reset form. */
export const GET: RequestHandler = ({ url }) => {
  redirect(307, `/mot-de-passe-oublie/nouveau${url.search}`);
};
