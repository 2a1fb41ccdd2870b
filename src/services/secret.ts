import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client';
import { readSetting, writeSettingIfAbsent } from '../../db/queries/settings';

const SECRET_KEY = 'secret';

/**
 * The server secret: AFTERWORD_SECRET when configured, else a random key generated on first
 * start and kept in the database so tokens and hashes stay valid across restarts.
 */
export async function loadSecret(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const stored = await readSetting(db, SECRET_KEY);
  if (stored) return stored;
  await writeSettingIfAbsent(db, SECRET_KEY, randomBytes(32).toString('hex'));
  return (await readSetting(db, SECRET_KEY))!;
}
