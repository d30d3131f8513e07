// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Services } from '$lib/server/services';

declare global {
  namespace App {
    interface Error {
      message: string;
      requestId?: string;
    }
    interface Locals {
      locale: 'fr' | 'en';
      requestId: string;
    }
    interface Platform {
      /** The application's services, built once at start (see src/lib/server/main.ts). */
      services: Services;
      requestId: string;
    }
  }
}

export {};
