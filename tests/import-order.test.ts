import { expect, it } from 'vitest';
// Deliberately imported before the app: the services must bring @hono/zod-openapi in first, or the
// routes fail with "schema.openapi is not a function".
import { createTestServices } from './helpers/services.js';
import { buildApp } from '../src/lib/server/app.js';

it('builds the API whichever of services or app is imported first', async () => {
  const t = await createTestServices('sqlite');
  const res = await buildApp(t.services).request('/api/v1/openapi.json');
  expect(res.status).toBe(200);
  await t.destroy();
});
