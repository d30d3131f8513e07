import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { Hono } from 'hono';
import type { AppEnv } from './env.js';

const require = createRequire(import.meta.url);
const gzip = promisify(gzipCallback);
const swaggerDir: string = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8'
};

const PAGE = `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API Glane — documentation</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<main id="swagger-ui" aria-label="Documentation de l'API / API documentation"></main>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/** CSP for the docs page: everything from here; Swagger UI sets inline styles. */
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `/api/docs`: Swagger UI over the OpenAPI document, every asset served from this process (no CDN). */
export function docsRoutes() {
  const docs = new Hono<AppEnv>();
  docs.get('/', (c) => {
    c.header('Content-Security-Policy', DOCS_CSP);
    return c.html(PAGE);
  });
  docs.get('/init.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(INIT);
  });
  // Swagger UI's bundle is 1.4 MB: its gzip copy is made once, at the first request that accepts it.
  const gzipped = new Map<string, Promise<Buffer>>();
  docs.get('/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    if (!type) return c.notFound();
    c.header('Content-Type', type);
    c.header('Cache-Control', 'public, max-age=86400');
    c.header('Vary', 'Accept-Encoding');
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      let copy = gzipped.get(file);
      if (!copy) gzipped.set(file, (copy = readFile(join(swaggerDir, file)).then((content) => gzip(content))));
      c.header('Content-Encoding', 'gzip');
      return c.body(new Uint8Array(await copy));
    }
    return c.body(new Uint8Array(await readFile(join(swaggerDir, file))));
  });
  return docs;
}
