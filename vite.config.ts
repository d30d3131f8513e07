import { sveltekit } from '@sveltejs/kit/vite';
import { getRequestListener } from '@hono/node-server';
import { defineConfig, type Plugin, type ViteDevServer } from 'vite';

/**
 * Development only: the same Hono API answers /api inside the Vite dev server (hot reload kept),
 * and pages get the same services through the adapter's `emulate` (svelte.config.js).
 */
function glaneDev(): Plugin {
  return {
    name: 'glane-dev',
    apply: 'serve',
    configureServer(server: ViteDevServer) {
      (globalThis as { __glaneVite?: ViteDevServer }).__glaneVite = server;
      server.middlewares.use((req, res, next) => {
        if (!req.url?.startsWith('/api/') && req.url !== '/api') return next();
        server
          .ssrLoadModule('/src/lib/server/dev.ts')
          .then(async (mod) => {
            const app = await mod.devApp();
            await getRequestListener(app.fetch)(req, res);
          })
          .catch(next);
      });
    }
  };
}

export default defineConfig({
  plugins: [glaneDev(), sveltekit()]
});
