import { eq } from 'drizzle-orm';
import type { settings } from '../schema/sqlite';
import type { Db } from '../client';

/** A stored setting's raw value, or undefined. */
export async function readSetting(db: Db, key: string): Promise<string | undefined> {
  const { settings } = db.tables;
  return db.orm.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).then((rows) => rows[0]?.value);
}

/** Stores a setting, replacing any earlier value. */
export async function writeSetting(db: Db, key: string, value: string): Promise<void> {
  const { settings } = db.tables;
  await db.orm.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } });
}

/** Stores a setting unless one exists (first writer wins, safe under races). */
export async function writeSettingIfAbsent(db: Db, key: string, value: string): Promise<void> {
  const { settings } = db.tables;
  await db.orm.insert(settings).values({ key, value }).onConflictDoNothing();
}
