import type { DbConnection } from '../services/context';
import { getConfig } from '../services/config';
import { startApp, type App } from '../services/start';

// `npm run dev` does not go through the start script, so the dev server migrates on first use.
// (Statically false in the production build, which the start script migrates before it listens.)
const migrate = import.meta.env.DEV ? (await import('../../db/migrate')).migrateDatabase : undefined;

let starting: Promise<App> | undefined;
let started: App | undefined;

/**
 * Starts the application for pages, actions and middleware, once: on the first request (the
 * middleware awaits it), not at import (`astro build` loads these modules to prerender routes
 * and must not open the database).
 */
export function startWebApp(): Promise<App> {
  starting ??= startApp(getConfig(), { migrate }).then((app) => (started = app));
  return starting;
}

/** The started application (the middleware started it before any page or action runs). */
export function app(): App {
  if (!started) throw new Error('app() was used before the middleware started the application');
  return started;
}

/** The app's database connection. */
export const db = (): DbConnection => app().db;

/** The server secret for this process (configured, or generated once and stored). */
export const appSecret = (): string => app().secret;
