import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Moderator passwords, hashed with scrypt from node:crypto (a memory-hard slow hash; no
 * native dependency). Stored as `scrypt$N$r$p$salt$hash` so the cost can grow later.
 */

const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 64;
export const MIN_PASSWORD_LENGTH = 12;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem: 256 * options.N! * options.r! }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** A new hash of `password` with a random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` matches `stored`; malformed hashes never match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** How many scrypt computations may run at once (each takes ~32 MB and a thread-pool thread). */
const MAX_CONCURRENT_HASHES = 2;
/** How many may wait for a slot; beyond that a login is answered "busy" at once. */
const MAX_WAITING_HASHES = 16;

/** Thrown when too many password checks are already running or waiting. */
export class PasswordCheckBusyError extends Error {
  constructor() {
    super('too many password checks at once');
  }
}

let running = 0;
const waiting: (() => void)[] = [];

/**
 * Runs a password hash or check when a slot is free, so a burst of logins can neither fill
 * the thread pool (which file I/O and DNS share) nor eat the memory; the rest of the site
 * stays responsive while moderators' logins queue briefly.
 */
export async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running < MAX_CONCURRENT_HASHES) running++;
  else if (waiting.length >= MAX_WAITING_HASHES) throw new PasswordCheckBusyError();
  // A finishing check hands its slot straight to the next in line (`running` stays the same).
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** Hash of a random password: verified against when the email is unknown, so both failures take as long. */
export const DUMMY_HASH_PROMISE: Promise<string> = hashPassword(randomBytes(16).toString('hex'));

/** Why a new password is unacceptable, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 1024) return 'the password is too long';
  return null;
}
