import type { Db } from '../../db/client';
import { clearSpamFilter, learnUntrainedComments, readSpamFilterTotals, readSpamModelFor, readSpamModelIn } from '../../db/queries/spam-filter';
import {
  SPAM_TRAINER,
  isFilterTrained,
  scoreTokens,
  tokenizeComment,
  type SpamFilterInput,
  type SpamFilterTotals,
  type SpamScore,
} from '../domain/comments/spam-filter';

/** Comments learned per transaction while backfilling, so a large site never holds the write lock long. */
const BATCH = 500;

/**
 * The learning filter's score for a new comment: its bounded token bag, one indexed lookup of
 * those tokens and the totals. Null until the filter has learned at least one comment of each class.
 */
export async function scoreNewComment(db: Db, input: SpamFilterInput): Promise<SpamScore | null> {
  const bag = tokenizeComment(input);
  const { counts, totals } = await readSpamModelFor(db, [...bag.keys()]);
  return scoreTokens(bag, counts, totals);
}

export interface SpamAssessment {
  score: SpamScore | null;
  /** Whether the filter has learned enough decisions of each class for the threshold to act. */
  trained: boolean;
}

/**
 * The same, synchronously inside the submit transaction (SQLite): the score the comment is stored
 * with is the one its status was decided on.
 */
export async function assessNewCommentIn(tx: Db, input: SpamFilterInput, minDecisions: number): Promise<SpamAssessment> {
  const bag = tokenizeComment(input);
  const { counts, totals } = await readSpamModelIn(tx, [...bag.keys()]);
  return { score: scoreTokens(bag, counts, totals), trained: isFilterTrained(totals, minDecisions) };
}

/** The evidence as stored with the comment (weights rounded: they are for reading). */
export function serializeSpamEvidence(score: SpamScore | null): string | null {
  return score ? JSON.stringify(score.evidence.map((e) => ({ token: e.token, weight: Math.round(e.weight * 100) / 100 }))) : null;
}

/** Learns every approved or spam comment not yet counted (after an import, or the first start). Returns how many. */
export async function learnUntrainedDecisions(db: Db): Promise<number> {
  let learned = 0;
  for (let afterId = 0; ; ) {
    const batch = await learnUntrainedComments(db, SPAM_TRAINER, afterId, BATCH);
    learned += batch.learned;
    if (batch.lastId === null) return learned;
    afterId = batch.lastId;
  }
}

/**
 * At start: a database that has never trained the filter (a fresh install, or the first start after
 * upgrading to a version with the filter) learns from every decision already stored. A no-op after
 * that, since every later decision trains as it happens. Returns how many comments were learned, or
 * null when the filter was already trained.
 */
export async function backfillSpamFilter(db: Db): Promise<number | null> {
  if (await readSpamFilterTotals(db)) return null;
  return learnUntrainedDecisions(db);
}

/** Forgets everything and learns again from the comments stored now (`npm run spam-filter -- retrain`). */
export async function rebuildSpamFilter(db: Db): Promise<number> {
  await clearSpamFilter(db);
  return learnUntrainedDecisions(db);
}

export interface SpamFilterStatus {
  totals: SpamFilterTotals;
  /** Enough decisions of each class for the threshold to act. */
  trained: boolean;
  minPerClass: number;
}

/** What the rules page says about the filter: how much it has learned and whether it acts yet. */
export async function loadSpamFilterStatus(db: Db, minPerClass: number): Promise<SpamFilterStatus> {
  const { totals } = await readSpamModelFor(db, []);
  return { totals, trained: isFilterTrained(totals, minPerClass), minPerClass };
}
