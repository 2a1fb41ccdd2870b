import { and, eq, gt, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { firstRow } from './rows';
import type { comments, spamFilterTokens, spamFilterTotals } from '../schema/sqlite';
import type { Db } from '../client';
import type {
  SpamFilterInput,
  SpamFilterTotals,
  SpamLabel,
  TokenBag,
  TokenCounts,
  TrainableComment,
  TrainingStep,
} from '../../src/domain/comments/spam-filter';

/**
 * The learning spam filter's storage. The model itself is pure (src/domain/comments/spam-filter.ts)
 * and comes in as `SpamTrainer`, so that learning happens inside the same transaction as the
 * status change that teaches it.
 */

/** The pure pieces of the model a training transaction needs (src/domain/comments/spam-filter.ts `SPAM_TRAINER`). */
export interface SpamTrainer {
  tokenize(input: SpamFilterInput): TokenBag;
  label(comment: TrainableComment): SpamLabel | null;
  step(bag: TokenBag, label: SpamLabel, direction: 1 | -1, counts: ReadonlyMap<string, TokenCounts>, totals: SpamFilterTotals): TrainingStep;
}

/** A comment as training needs it: its state, the label it is counted under and the text it was learned from. */
export interface StoredTrainable extends TrainableComment {
  id: number;
  spamTrainedAs: SpamLabel | null;
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  bodySource: string;
}

const ZERO: SpamFilterTotals = { hamDocs: 0, spamDocs: 0, hamTokens: 0, spamTokens: 0, vocabulary: 0 };

async function readTotalsIn(db: Db): Promise<SpamFilterTotals | undefined> {
  const { spamFilterTotals } = db.tables;
  const row = await db.orm.select().from(spamFilterTotals).where(eq(spamFilterTotals.id, 1)).then(firstRow);
  if (!row) return undefined;
  const { id: _id, ...totals } = row;
  return totals;
}

async function readCountsIn(db: Db, tokens: readonly string[]): Promise<Map<string, TokenCounts>> {
  const { spamFilterTokens } = db.tables;
  if (!tokens.length) return new Map();
  const rows = await db.orm.select().from(spamFilterTokens).where(inArray(spamFilterTokens.token, [...tokens]));
  return new Map(rows.map((r) => [r.token, { ham: r.ham, spam: r.spam }]));
}

async function writeStepIn(db: Db, step: TrainingStep): Promise<void> {
  const { spamFilterTokens, spamFilterTotals } = db.tables;
  const gone = step.rows.filter((r) => r.ham + r.spam === 0).map((r) => r.token);
  const kept = step.rows.filter((r) => r.ham + r.spam > 0);
  if (gone.length) await db.orm.delete(spamFilterTokens).where(inArray(spamFilterTokens.token, gone));
  if (kept.length) {
    await db.orm.insert(spamFilterTokens)
      .values(kept)
      .onConflictDoUpdate({ target: spamFilterTokens.token, set: { ham: sql`excluded.ham`, spam: sql`excluded.spam` } })
      ;
  }
  await db.orm.insert(spamFilterTotals)
    .values({ id: 1, ...step.totals })
    .onConflictDoUpdate({ target: spamFilterTotals.id, set: step.totals })
    ;
}

/** One learn or forget step against the stored counts (read and written in the caller's transaction). */
async function applyIn(db: Db, trainer: SpamTrainer, input: SpamFilterInput, label: SpamLabel, direction: 1 | -1): Promise<void> {
  const bag = trainer.tokenize(input);
  const step = trainer.step(bag, label, direction, await readCountsIn(db, [...bag.keys()]), (await readTotalsIn(db)) ?? ZERO);
  await writeStepIn(db, step);
}

const asInput = (c: StoredTrainable): SpamFilterInput => ({ body: c.bodySource, name: c.authorName, email: c.authorEmail, website: c.authorUrl });

/**
 * Moves a comment's contribution to the filter from what it is counted as (learned from the text
 * in `before`) to what its new state teaches (`after`, with its possibly edited text; null: forget
 * it, e.g. when its author's words are erased). Call inside the transaction that changes the comment.
 */
export async function retrainCommentIn(db: Db, trainer: SpamTrainer, before: StoredTrainable, after: StoredTrainable | null): Promise<void> {
  const { comments } = db.tables;
  const next = after ? trainer.label(after) : null;
  const textChanged = after !== null && (['bodySource', 'authorName', 'authorEmail', 'authorUrl'] as const).some((key) => before[key] !== after[key]);
  if (before.spamTrainedAs === next && !textChanged) return;
  if (before.spamTrainedAs) await applyIn(db, trainer, asInput(before), before.spamTrainedAs, -1);
  if (next && after) await applyIn(db, trainer, asInput(after), next, 1);
  if (before.spamTrainedAs !== next) await db.orm.update(comments).set({ spamTrainedAs: next }).where(eq(comments.id, before.id));
}

/** Learns a comment that was just inserted (its label is known from its status), inside the insert's transaction. */
export async function learnNewCommentIn(db: Db, trainer: SpamTrainer, comment: StoredTrainable): Promise<void> {
  await retrainCommentIn(db, trainer, { ...comment, spamTrainedAs: null }, { ...comment, spamTrainedAs: null });
}

/** What scoring needs, inside the submit transaction: the counts of these tokens (one statement) and the totals. */
export async function readSpamModelIn(db: Db, tokens: readonly string[]): Promise<{ counts: Map<string, TokenCounts>; totals: SpamFilterTotals }> {
  return { counts: await readCountsIn(db, tokens), totals: (await readTotalsIn(db)) ?? ZERO };
}

/** The class totals, or undefined when this database has never trained (before the first backfill). */
export async function readSpamFilterTotals(db: Db): Promise<SpamFilterTotals | undefined> {
  return readTotalsIn(db);
}

/** What scoring needs: the counts of these tokens (one primary-key lookup each, one statement) and the totals. */
export async function readSpamModelFor(db: Db, tokens: readonly string[]): Promise<{ counts: Map<string, TokenCounts>; totals: SpamFilterTotals }> {
  return readSpamModelIn(db, tokens);
}

const trainableColumns = ({ comments }: Db['tables']) => ({
  id: comments.id,
  status: comments.status,
  previousStatus: comments.previousStatus,
  decisionReason: comments.decisionReason,
  spamTrainedAs: comments.spamTrainedAs,
  authorName: comments.authorName,
  authorEmail: comments.authorEmail,
  authorUrl: comments.authorUrl,
  bodySource: comments.bodySource,
});

/** One comment as training needs it, inside a transaction. */
export async function findTrainableIn(db: Db, id: number): Promise<StoredTrainable | undefined> {
  const { comments } = db.tables;
  const row = await db.orm.select(trainableColumns(db.tables)).from(comments).where(eq(comments.id, id)).then(firstRow);
  return row;
}

/**
 * Learns, in one transaction, up to `limit` comments after `afterId` that are approved or spam
 * and not yet counted (those whose state teaches nothing are passed over). Returns how many were
 * learned and the last id looked at (null: nothing left), so a backfill runs in bounded steps.
 */
export async function learnUntrainedComments(db: Db, trainer: SpamTrainer, afterId: number, limit: number): Promise<{ learned: number; lastId: number | null }> {
  const { comments } = db.tables;
  return db.transaction(async (tx) => {
    const rows = await tx
      .orm.select(trainableColumns(db.tables))
      .from(comments)
      .where(and(gt(comments.id, afterId), isNull(comments.spamTrainedAs), inArray(comments.status, ['approved', 'spam'])))
      .orderBy(comments.id)
      .limit(limit)
      ;
    let learned = 0;
    for (const row of rows) {
      await learnNewCommentIn(tx, trainer, row);
      if (trainer.label(row)) learned++;
    }
    // Written even when nothing was learned: the totals row marks this database as trained.
    if (!(await readTotalsIn(tx))) await writeStepIn(tx, { rows: [], totals: ZERO });
    return { learned, lastId: rows.length ? rows[rows.length - 1].id : null };
  });
}

/** Forgets everything learned: every count, the totals and every comment's label (before a rebuild). */
export async function clearSpamFilter(db: Db): Promise<void> {
  const { comments, spamFilterTokens, spamFilterTotals } = db.tables;
  await db.transaction(async (tx) => {
    await tx.orm.delete(spamFilterTokens);
    await tx.orm.delete(spamFilterTotals);
    await tx.orm.update(comments).set({ spamTrainedAs: null }).where(isNotNull(comments.spamTrainedAs));
  });
}

/**
 * Before a commenter's words are erased: forgets every comment of theirs the filter learned (its
 * counts came from their text) and drops the stored evidence (it quotes their words and name).
 */
export async function forgetCommenterIn(db: Db, trainer: SpamTrainer, email: string): Promise<void> {
  const { comments } = db.tables;
  const theirs = await db
    .orm.select(trainableColumns(db.tables))
    .from(comments)
    .where(and(sql`lower(${comments.authorEmail}) = lower(${email})`, isNotNull(comments.spamTrainedAs)))
    ;
  for (const comment of theirs) await retrainCommentIn(db, trainer, comment, null);
  await db.orm.update(comments)
    .set({ spamEvidence: null })
    .where(and(sql`lower(${comments.authorEmail}) = lower(${email})`, isNotNull(comments.spamEvidence)))
    ;
}

