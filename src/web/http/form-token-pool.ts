import { createFormToken } from '../../services/tokens';

/**
 * Where the page cache gets the comment form's token for each page it sends (a token is
 * personal to one response: see page-cache.ts).
 */
export interface FormTokens {
  /** A fresh token for the form on `slug`'s page, served at `now` (ms), as latin1 bytes. */
  take(slug: string, now: number): Buffer;
}

/** Every token signed when it is asked for. */
export function tokensSignedOnRequest(secret: string): FormTokens {
  return { take: (slug, now) => Buffer.from(createFormToken(secret, slug, new Date(now)), 'latin1') };
}

/** Signs `count` tokens for `slug` issued at `issued` (ms): equal-length latin1 tokens, one after another. */
export type BatchSigner = (slug: string, issued: number, count: number) => Promise<Buffer>;

/**
 * How far ahead a batch's tokens are stamped. A token says when its form was served, and the
 * bot check counts a form sent back sooner than a few seconds after that as spam; a batch is
 * only handed out until its stamp (never after), so the age the check sees is never more than
 * the real one: a bot gains nothing, a person's form counts as up to this much younger.
 */
export const LEAD_MS = 250;
const MIN_BATCH = 16;
const MAX_BATCH = 16_384;

interface Batch {
  tokens: Buffer;
  tokenLength: number;
  count: number;
  /** When every token of the batch says its form was served; usable until then. */
  issued: number;
  used: number;
}

interface SlugTokens {
  current: Batch | null;
  next: Batch | null;
  signing: boolean;
  lastTake: number;
  /** Tokens taken since the last batch was asked for, and when that was: the rate a batch is sized by. */
  takenSinceAsked: number;
  askedAt: number;
}

const usable = (batch: Batch | null, now: number): batch is Batch => batch !== null && batch.used < batch.count && now <= batch.issued;

/**
 * Form tokens for busy pages, signed ahead on another thread. Signing a token (an HMAC) on the
 * thread that answers costs a cache hit about a sixth of its time; here a
 * page read more than once per LEAD_MS gets its tokens from batches that `signBatch` (a worker
 * thread) signs with a stamp LEAD_MS ahead, each handed out once. A quiet page, a batch that
 * has not arrived or a failed signer: the token is signed on the spot.
 */
export function formTokenPool(secret: string, signBatch: BatchSigner): FormTokens {
  const slugs = new Map<string, SlugTokens>();
  const onTheSpot = tokensSignedOnRequest(secret);
  let reportedFailure = false;

  function askForBatch(slug: string, state: SlugTokens, now: number): void {
    // A batch is asked for when the one in use has half its life left, and is used for about
    // that long: half of LEAD_MS at the current rate, with a little room for a burst (a batch
    // used up early asks for the next one at once).
    const perMs = state.takenSinceAsked / Math.max(now - state.askedAt, 1);
    const count = Math.min(MAX_BATCH, Math.max(MIN_BATCH, Math.ceil(perMs * LEAD_MS * 0.6)));
    const issued = now + LEAD_MS;
    state.signing = true;
    state.askedAt = now;
    state.takenSinceAsked = 0;
    void signBatch(slug, issued, count).then(
      (tokens) => {
        state.signing = false;
        const batch: Batch = { tokens, tokenLength: tokens.length / count, count, issued, used: 0 };
        // Behind the one in use, if any (`take` moves on when that one is spent or too old).
        if (state.current !== null && state.current.used < state.current.count) state.next = batch;
        else state.current = batch;
      },
      (error: unknown) => {
        state.signing = false;
        if (!reportedFailure) console.error(`Form tokens are signed per page from now on: ${error instanceof Error ? error.message : String(error)}`);
        reportedFailure = true;
      },
    );
  }

  return {
    take(slug, now) {
      let state = slugs.get(slug);
      if (!state) slugs.set(slug, (state = { current: null, next: null, signing: false, lastTake: -Infinity, takenSinceAsked: 0, askedAt: -Infinity }));
      const busy = now - state.lastTake < LEAD_MS;
      state.lastTake = now;
      state.takenSinceAsked++;
      if (!usable(state.current, now)) {
        state.current = usable(state.next, now) ? state.next : null;
        state.next = null;
      }
      const batch = state.current;
      const running = batch !== null && batch.issued - now > LEAD_MS / 2 && batch.used * 2 < batch.count;
      if (busy && !state.signing && !reportedFailure && state.next === null && !running) askForBatch(slug, state, now);
      if (batch === null) return onTheSpot.take(slug, now);
      const start = batch.used++ * batch.tokenLength;
      return batch.tokens.subarray(start, start + batch.tokenLength);
    },
  };
}
