import { openDatabase, type DbConnection } from '../../db/client';
import { databaseLocation, type Config } from './config';
import { createMailer, type Mailer } from './mailer';
import { loadSecret } from './secret';

/** A started application: what services need (see context.ts) and how to stop it. */
export interface App {
  db: DbConnection;
  config: Config;
  secret: string;
  mailer: Mailer;
  now: () => Date;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Applies pending migrations (db/migrate.ts: the start script and `npm run dev`; the built bundle has no migrations folder). */
  migrate?: (db: DbConnection) => Promise<void>;
  /** The clock for mail; tests pass a fixed one. */
  now?: () => Date;
  /** Start retrying queued mail at once and every minute (default on). */
  deliverMail?: boolean;
}

/**
 * The one way the application starts: opens (and, when asked, migrates) the database, loads
 * the secret, and starts delivering queued mail (mail still queued from before a restart goes
 * out now, not at the next request). Throws what openDatabase, the migration or the secret
 * throws; nothing stays open then.
 */
export async function startApp(config: Config, { migrate, now = () => new Date(), deliverMail = true }: StartOptions = {}): Promise<App> {
  const db = await openDatabase(databaseLocation(config));
  let secret: string;
  try {
    await migrate?.(db);
    secret = await loadSecret(db, config.AFTERWORD_SECRET);
  } catch (error) {
    await db.close();
    throw error;
  }
  const mailer = createMailer(db, config, now);
  if (deliverMail) mailer.startRetryLoop();
  return {
    db,
    config,
    secret,
    mailer,
    now,
    async stop() {
      mailer.stop();
      await db.close();
    },
  };
}
