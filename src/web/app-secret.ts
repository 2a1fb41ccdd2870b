import { getConfig } from '../services/config';
import { db } from './db';
import { loadSecret } from '../services/secret';

let secret: string | undefined;

/** The server secret for this process (configured, or generated once and stored). */
export function appSecret(): string {
  secret ??= loadSecret(db(), getConfig().AFTERWORD_SECRET);
  return secret;
}
