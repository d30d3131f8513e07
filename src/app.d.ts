// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Services } from '$lib/server/services';

declare global {
  namespace App {
    interface Error {
      message: string;
      requestId?: string;
    }
    /** The signed-in user as pages see it (never a hash, never a token). */
    interface User {
      id: string;
      displayName: string;
      email: string | null;
      emailVerified: boolean;
      locale: 'fr' | 'en';
      isPlatformAdmin: boolean;
    }
    interface Locals {
      locale: 'fr' | 'en';
      requestId: string;
      user: User | null;
      sessionId: string | null;
    }
    interface Platform {
      /** The application's services, built once at start (see src/lib/server/main.ts). */
      services: Services;
      requestId: string;
    }
  }
}

export {};
