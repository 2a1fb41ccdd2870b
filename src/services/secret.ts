import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client';
import { readSetting, writeSettingIfAbsent } from '../../db/queries/settings';

const SECRET_KEY = 'secret';

/**
 * The server secret: AFTERWORD_SECRET when configured, else a random key generated on first
 * start and kept in the database so tokens and hashes stay valid across restarts.
 */
export function loadSecret(db: Db, configured: string | undefined): string {
  if (configured) return configured;
  const stored = readSetting(db, SECRET_KEY);
  if (stored) return stored;
  writeSettingIfAbsent(db, SECRET_KEY, randomBytes(32).toString('hex'));
  return readSetting(db, SECRET_KEY)!;
}
