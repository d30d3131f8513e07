import { writeFileSync } from 'node:fs';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * Glane's own adapter: it writes SvelteKit's built `Server` and manifest to `build/server` and the
 * client assets to `build/client`, unbundled; Glane's Hono server (src/lib/server/main.ts) imports
 * them and calls `server.respond()` itself (no second HTTP server). In `vite dev`, `emulate` hands
 * pages the same services the dev API uses (see vite.config.ts and src/lib/server/dev.ts).
 * @type {import('@sveltejs/kit').Adapter}
 */
const adapter = {
  name: 'glane-hono',
  async adapt(builder) {
    const out = 'build';
    builder.rimraf(out);
    builder.writeClient(`${out}/client${builder.config.kit.paths.base}`);
    builder.writePrerendered(`${out}/prerendered${builder.config.kit.paths.base}`);
    builder.writeServer(`${out}/server`);
    // Brotli and gzip copies of every compressible asset, served by Hono as they are (no CPU per request).
    await builder.compress(`${out}/client`);
    await builder.compress(`${out}/prerendered`);
    writeFileSync(
      `${out}/server/manifest.js`,
      `export const manifest = ${builder.generateManifest({ relativePath: './' })};\n`
    );
    writeFileSync(`${out}/BUILD_STAMP`, new Date().toISOString() + '\n');
  },
  emulate: () => ({
    platform: async () => {
      const vite = /** @type {any} */ (globalThis).__glaneVite;
      if (!vite) return undefined;
      const mod = await vite.ssrLoadModule('/src/lib/server/dev.ts');
      return mod.devPlatform();
    }
  }),
  supports: { read: () => true }
};

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter,
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:', 'https:'],
        'connect-src': ['self'],
        'font-src': ['self'],
        'manifest-src': ['self'],
        'worker-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none']
      }
    },
    serviceWorker: { register: true }
  }
};

export default config;
