import { createReadStream, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { PageRenderer } from './app.js';

interface KitServer {
  init(options: { env: Record<string, string | undefined>; read?: (file: string) => ReadableStream }): Promise<void>;
  respond: PageRenderer['respond'];
}

/**
 * Loads SvelteKit's built server (adapter-node output in `build/`) so Hono can hand it requests.
 * Returns undefined when the app has not been built (API-only mode).
 */
export async function loadPages(buildDir = 'build'): Promise<PageRenderer | undefined> {
  const dir = resolve(buildDir);
  const serverEntry = join(dir, 'server', 'index.js');
  if (!existsSync(serverEntry)) return undefined;
  const { Server } = (await import(pathToFileURL(serverEntry).href)) as { Server: new (m: unknown) => KitServer };
  const { manifest } = (await import(pathToFileURL(join(dir, 'server', 'manifest.js')).href)) as { manifest: unknown };
  const clientDir = join(dir, 'client');
  const server = new Server(manifest);
  await server.init({
    env: process.env as Record<string, string | undefined>,
    read: (file) => Readable.toWeb(createReadStream(join(clientDir, file))) as ReadableStream
  });
  return {
    respond: (request, options) => server.respond(request, options),
    clientDir,
    prerenderedDir: join(dir, 'prerendered')
  };
}
