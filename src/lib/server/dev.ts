import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { migrateToLatest, openDatabase } from './db/database.js';
import { loadDemoIfEmpty } from './demo/demo.js';
import { createLogger } from './logger.js';
import { createServices, type Services } from './services.js';

/**
 * `vite dev` only: one set of services for the dev API and the dev pages, kept on globalThis so a
 * hot reload of this module does not open a second database.
 */
type DevState = { services: Services; app: ReturnType<typeof buildApp> };
const holder = globalThis as { __glaneDev?: Promise<DevState> };

function state(): Promise<DevState> {
  holder.__glaneDev ??= (async () => {
    const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'debug', ...process.env });
    const database = openDatabase(config);
    await migrateToLatest(database.db);
    const services = createServices(config, database, createLogger(config.LOG_LEVEL));
    if (config.DEMO_DATA) await loadDemoIfEmpty(services);
    return { services, app: buildApp(services) };
  })();
  return holder.__glaneDev;
}

export async function devApp() {
  return (await state()).app;
}

export async function devPlatform(): Promise<App.Platform> {
  return { services: (await state()).services, requestId: 'dev' };
}
