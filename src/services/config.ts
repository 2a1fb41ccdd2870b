import { BlockList, isIP } from 'node:net';
import { z } from 'astro/zod';

/**
 * Typed configuration, read once from the environment. Everything the operator can set
 * lives here (and in the README's table); nothing else reads process.env for settings.
 */
const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const ON = ['1', 'true', 'yes', 'on'];
const OFF = ['', '0', 'false', 'no', 'off'];

/** An address (`127.0.0.1`, `::1`) or a network (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrNetwork(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

/**
 * Which peers may set X-Forwarded-For/-Proto: `false` (none), `true` (any: only safe when the
 * port is reachable from the proxy alone), or the proxies' addresses and networks.
 */
export type TrustedProxies = boolean | string[];

const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): TrustedProxies => {
    if (OFF.includes(value.toLowerCase())) return false;
    if (ON.includes(value.toLowerCase())) return true;
    const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
    if (!entries.every(isAddressOrNetwork)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be 1, 0, or the proxy addresses separated by commas (e.g. 127.0.0.1 or 10.0.0.0/8)' });
      return z.NEVER;
    }
    return entries;
  });

export const ConfigSchema = z.object({
  /** TCP port to listen on. */
  PORT: integer(1, 65535).default('4321'),
  /** Interface to bind; `0.0.0.0` to accept outside connections. */
  HOST: z.string().trim().min(1, 'must not be empty').default('localhost'),
  /** The SQLite file; created and migrated at start. */
  DATABASE_PATH: z.string().trim().min(1, 'must not be empty').default('data/afterword.db'),
  /**
   * A PostgreSQL database instead of the SQLite file (several instances share it):
   * postgres://user:password@host:5432/name. Migrated at start; DATABASE_PATH is then unused.
   */
  DATABASE_URL: z
    .string()
    .trim()
    .refine((v) => /^postgres(ql)?:\/\/[^/\s]+\/[^/\s]+$/i.test(v) && URL.canParse(v), 'must be a PostgreSQL URL such as postgres://user@127.0.0.1:5432/afterword')
    .optional(),
  /**
   * Absolute origin used in feeds, sitemap and emails (no path). Unset: `http://localhost:$PORT`,
   * the address this server answers on locally (see `withDefaults`).
   */
  SITE_URL: z
    .string()
    .trim()
    .url('must be an absolute URL such as https://blog.example.com')
    .refine((v) => /^https?:\/\//i.test(v), 'must start with http:// or https://')
    .transform((v) => new URL(v).origin)
    .optional(),
  /** UI language. */
  SITE_LOCALE: z.enum(['en', 'de'], { errorMap: () => ({ message: 'must be en or de' }) }).default('en'),
  /** SMTP server for notifications; unset: mails are written to OUTBOX_DIR as .eml files. */
  SMTP_URL: z
    .string()
    .trim()
    .refine((v) => v === '' || /^smtps?:\/\/[^/]+/i.test(v), 'must look like smtp://user:pass@host:587')
    .transform((v) => (v === '' ? undefined : v))
    .optional(),
  /** Where notification mails go when SMTP_URL is unset. */
  OUTBOX_DIR: z.string().trim().min(1, 'must not be empty').default('data/outbox'),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (from any peer, or only from these). */
  TRUST_PROXY: trustProxy.default('0'),
  /** Minimum seconds between two comments from one client address (0: off). */
  COMMENT_FLOOD_SECONDS: integer(0, 86_400).default('15'),
  /** A form submitted sooner than this after it was served counts as a bot (0: off). */
  COMMENT_MIN_SECONDS: integer(0, 3_600).default('3'),
  /** How long a commenter may edit or delete their own comment from the same browser, in minutes (0: never). */
  COMMENT_EDIT_MINUTES: integer(0, 525_600).default('15'),
  /** Top-level threads per comment page on a post (replies stay with their thread). */
  COMMENTS_PER_PAGE: integer(1, 1_000).default('50'),
  /** Key for signed tokens and keyed hashes; unset: generated once and kept in the database. */
  AFTERWORD_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')
    .optional(),
});

/** The parsed settings with every default filled in (SITE_URL depends on PORT). */
export type Config = Omit<z.infer<typeof ConfigSchema>, 'SITE_URL'> & { SITE_URL: string };

function withDefaults(parsed: z.infer<typeof ConfigSchema>): Config {
  return { ...parsed, SITE_URL: parsed.SITE_URL ?? `http://localhost:${parsed.PORT}` };
}

export class ConfigError extends Error {}

/** Whether a connection from `peer` (the socket's remote address) may speak for a client through X-Forwarded-* headers. */
export function isTrustedProxy(trusted: TrustedProxies, peer: string | undefined): boolean {
  if (typeof trusted === 'boolean') return trusted;
  if (!peer) return false;
  const address = peer.startsWith('::ffff:') && isIP(peer.slice(7)) === 4 ? peer.slice(7) : peer;
  const list = new BlockList();
  for (const entry of trusted) {
    const [network, prefix] = entry.split('/');
    const type = isIP(network) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(network, type);
    else list.addSubnet(network, Number(prefix), type);
  }
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

const SECRET_VARIABLES = new Set(['AFTERWORD_SECRET', 'SMTP_URL']);

/** Parses the environment; throws ConfigError whose message names the first bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(env);
  if (result.success) return withDefaults(result.data);
  const issue = result.error.issues[0];
  const name = String(issue.path[0]);
  // Never echo secrets (SMTP_URL may carry a password) into logs.
  const shown = SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(env[name])})`;
  throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${shown}`);
}

let cached: Config | undefined;

/** The process-wide configuration, parsed on first use. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Where the database is: DATABASE_URL (PostgreSQL) when set, else the SQLite file DATABASE_PATH. */
export function databaseLocation(config: Pick<Config, 'DATABASE_PATH' | 'DATABASE_URL'>): string {
  return config.DATABASE_URL ?? config.DATABASE_PATH;
}

/** The variable and value that name the database, for messages (a PostgreSQL password is hidden). */
export function describeDatabase(config: Pick<Config, 'DATABASE_PATH' | 'DATABASE_URL'>): string {
  if (!config.DATABASE_URL) return `DATABASE_PATH=${config.DATABASE_PATH}`;
  const url = new URL(config.DATABASE_URL);
  if (url.password) url.password = '***';
  return `DATABASE_URL=${url.toString()}`;
}
