import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { settings } from '../schema';

/** A stored setting's raw value, or undefined. */
export function readSetting(db: Db, key: string): string | undefined {
  return db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()?.value;
}

/** Stores a setting, replacing any earlier value. */
export function writeSetting(db: Db, key: string, value: string): void {
  db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
}

/** Stores a setting unless one exists (first writer wins, safe under races). */
export function writeSettingIfAbsent(db: Db, key: string, value: string): void {
  db.insert(settings).values({ key, value }).onConflictDoNothing().run();
}
