/**
 * The learning spam filter: a multinomial naive Bayes classifier over a comment's tokens, trained
 * only on this site's own decisions. Pure: the counts come in as plain data (the service reads
 * them from the database with one indexed query) and training returns the rows to write, so the
 * counts can live in the database and be updated in the same transaction as a status change.
 *
 * The model (the textbook one, as in ttezel/bayes and scikit-learn's MultinomialNB):
 *   log P(c | doc) ∝ log P(c) + Σ_w tf(w) · log P(w | c),  P(w | c) = (count(w, c) + 1) / (tokens(c) + V)
 * with Laplace (add-one) smoothing and V the vocabulary size, all in log space so long comments
 * never underflow. Tokens the filter has never seen are skipped: they say nothing about either
 * class, and counting them would only tilt every new word towards the smaller class.
 */
import { GUARD_SPAM_REASONS, isReasonAmong } from './rules';
import type { CommentStatus } from './types';

export type SpamLabel = 'ham' | 'spam';

/** What the filter reads of a comment: the text and the author fields a moderator also sees. */
export interface SpamFilterInput {
  body: string;
  name: string;
  email: string;
  website: string | null;
}

/** Token → how often it occurs in one comment (already capped at `MAX_TOKEN_REPEATS`). */
export type TokenBag = ReadonlyMap<string, number>;

/** How often a token occurred in comments of each class. */
export interface TokenCounts {
  ham: number;
  spam: number;
}

/** The class-wide totals the model needs beside the per-token counts. */
export interface SpamFilterTotals {
  /** Comments learned as ham / spam. */
  hamDocs: number;
  spamDocs: number;
  /** Sum of token occurrences in each class (the denominators of P(w | c)). */
  hamTokens: number;
  spamTokens: number;
  /** Distinct tokens with a non-zero count (V in the smoothing). */
  vocabulary: number;
}

export const EMPTY_TOTALS: SpamFilterTotals = Object.freeze({ hamDocs: 0, spamDocs: 0, hamTokens: 0, spamTokens: 0, vocabulary: 0 });

/** Only this much of a comment is read: scoring runs while the commenter waits. */
export const MAX_TEXT_CHARS = 20_000;
/** Distinct tokens per comment (the first ones met), so one query and one training step stay small. */
export const MAX_TOKENS = 200;
/** A word repeated a hundred times is not a hundred times the evidence. */
export const MAX_TOKEN_REPEATS = 5;
/** Longer "words" are hashes, base64 or keyboard mashing: one shared token stands for them all. */
export const MAX_WORD_LENGTH = 30;
/** How many tokens the explanation keeps. */
export const EVIDENCE_SIZE = 6;

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"'()[\]{}]+/giu;
const WORD_PATTERN = /[\p{L}\p{M}\p{N}]+/gu;
/** Scripts written without spaces: a "word" there is a whole sentence, so they become character pairs. Script extensions, so marks shared between scripts (the katakana "ー") belong. */
const UNSPACED = /^[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}]+$/u;

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The host of a URL-ish string without `www.`, or null when it has none. */
export function hostOf(url: string): string | null {
  try {
    const parsed = new URL(/^https?:\/\//i.test(url) ? url : `http://${url}`);
    const host = parsed.hostname.replace(/^www\./, '').replace(/\.$/, '');
    return host === '' ? null : host.slice(0, 100);
  } catch {
    return null;
  }
}

/** Word tokens of a folded text; unspaced scripts become overlapping character pairs. */
function words(text: string, emit: (token: string) => void): void {
  for (const [word] of text.matchAll(WORD_PATTERN)) {
    if (UNSPACED.test(word)) {
      const chars = [...word];
      if (chars.length === 1) emit(word);
      for (let i = 0; i + 1 < chars.length; i++) emit(chars[i] + chars[i + 1]);
    } else if ([...word].length > MAX_WORD_LENGTH) {
      emit('long-word');
    } else if (word.length > 1 || /\P{ASCII}/u.test(word)) {
      // Single ASCII letters and digits ("a", "I", "5") carry nothing.
      emit(word);
    }
  }
}

/**
 * The tokens of a comment, with counts: body words, the domains it links to (`link:example.com`),
 * how many links it has (`links:0` … `links:3+`), the author's name words (`name:…`), their
 * website's domain (`site:…`) and their email's domain (`email:…`, never the address). Bounded by
 * `MAX_TEXT_CHARS`, `MAX_TOKENS` and `MAX_TOKEN_REPEATS` whatever the input.
 */
export function tokenizeComment(input: SpamFilterInput): Map<string, number> {
  const bag = new Map<string, number>();
  const emit = (token: string) => {
    const count = bag.get(token);
    if (count === undefined) {
      if (bag.size < MAX_TOKENS) bag.set(token, 1);
    } else if (count < MAX_TOKEN_REPEATS) bag.set(token, count + 1);
  };
  // Features first, so a long body cannot push them out of the bounded bag.
  const body = fold(input.body.slice(0, MAX_TEXT_CHARS));
  const urls = [...body.matchAll(URL_PATTERN)].map((m) => m[0]);
  emit(`links:${urls.length >= 3 ? '3+' : urls.length}`);
  if (input.website) {
    const host = hostOf(fold(input.website));
    if (host) emit(`site:${host}`);
  }
  const at = input.email.lastIndexOf('@');
  if (at >= 0 && at < input.email.length - 1) emit(`email:${fold(input.email.slice(at + 1, at + 101))}`);
  words(fold(input.name.slice(0, 200)), (word) => emit(`name:${word}`));
  for (const url of urls) {
    const host = hostOf(url);
    if (host) emit(`link:${host}`);
  }
  words(body.replace(URL_PATTERN, ' '), emit);
  return bag;
}

// ---------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------

/** One token's push: positive towards spam, negative towards ham (in nats, tf-weighted). */
export interface SpamEvidence {
  token: string;
  weight: number;
}

export interface SpamScore {
  /** P(spam | comment) between 0 and 1. */
  probability: number;
  /** The tokens that moved the score most, strongest first. */
  evidence: SpamEvidence[];
}

/** True when the filter has learned at least one comment of each class (otherwise nothing can be scored). */
export function canScore(totals: SpamFilterTotals): boolean {
  return totals.hamDocs > 0 && totals.spamDocs > 0;
}

/** True when the filter has seen enough decisions of each class to act on its scores. */
export function isFilterTrained(totals: SpamFilterTotals, minPerClass: number): boolean {
  return canScore(totals) && totals.hamDocs >= minPerClass && totals.spamDocs >= minPerClass;
}

/**
 * Scores a comment's tokens against the learned counts (`counts` needs only the comment's own
 * tokens; missing ones are unknown). Null when the filter cannot score yet (see `canScore`).
 */
export function scoreTokens(bag: TokenBag, counts: ReadonlyMap<string, TokenCounts>, totals: SpamFilterTotals): SpamScore | null {
  if (!canScore(totals)) return null;
  const docs = totals.hamDocs + totals.spamDocs;
  let logOdds = Math.log(totals.spamDocs / docs) - Math.log(totals.hamDocs / docs);
  const spamDenominator = totals.spamTokens + totals.vocabulary;
  const hamDenominator = totals.hamTokens + totals.vocabulary;
  const evidence: SpamEvidence[] = [];
  for (const [token, tf] of bag) {
    const known = counts.get(token);
    if (!known || known.ham + known.spam === 0) continue;
    const weight = tf * (Math.log((known.spam + 1) / spamDenominator) - Math.log((known.ham + 1) / hamDenominator));
    logOdds += weight;
    evidence.push({ token, weight });
  }
  evidence.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.token.localeCompare(b.token));
  return { probability: 1 / (1 + Math.exp(-logOdds)), evidence: evidence.slice(0, EVIDENCE_SIZE) };
}

// ---------------------------------------------------------------------------
// Training
// ---------------------------------------------------------------------------

/** What one learn or forget step writes: new counts per token (both zero: delete the row) and new totals. */
export interface TrainingStep {
  rows: { token: string; ham: number; spam: number }[];
  totals: SpamFilterTotals;
}

/**
 * Learns (`direction` 1) or forgets (-1) one comment as `label`. `counts` holds the current counts
 * of the comment's tokens (missing: zero). Counts never go below zero, so forgetting something
 * that was never learned cannot corrupt the model.
 */
export function trainingStep(
  bag: TokenBag,
  label: SpamLabel,
  direction: 1 | -1,
  counts: ReadonlyMap<string, TokenCounts>,
  totals: SpamFilterTotals,
): TrainingStep {
  let { vocabulary } = totals;
  let occurrences = 0;
  const rows: TrainingStep['rows'] = [];
  for (const [token, tf] of bag) {
    const before = counts.get(token) ?? { ham: 0, spam: 0 };
    const after = { ...before, [label]: Math.max(0, before[label] + direction * tf) };
    occurrences += Math.abs(after[label] - before[label]);
    const wasKnown = before.ham + before.spam > 0;
    const isKnown = after.ham + after.spam > 0;
    if (wasKnown !== isKnown) vocabulary += isKnown ? 1 : -1;
    rows.push({ token, ham: after.ham, spam: after.spam });
  }
  const docsKey = label === 'ham' ? 'hamDocs' : 'spamDocs';
  const tokensKey = label === 'ham' ? 'hamTokens' : 'spamTokens';
  return {
    rows,
    totals: {
      ...totals,
      [docsKey]: Math.max(0, totals[docsKey] + direction),
      [tokensKey]: Math.max(0, totals[tokensKey] + direction * occurrences),
      vocabulary: Math.max(0, vocabulary),
    },
  };
}

/** The state of a comment that decides what it teaches. */
export interface TrainableComment {
  status: CommentStatus;
  previousStatus: CommentStatus | null;
  decisionReason: string | null;
}

/**
 * What a comment in this state teaches the filter. Approved comments are ham (a moderator approved
 * them, a rule they set did, or they were approved on the site they were imported from); spam is
 * spam when a person put it there (a moderator, or the imported site). A comment the guards sent
 * straight to spam teaches nothing until a moderator acts on it, so a wrong machine guess can
 * never reinforce itself. Pending and trashed comments teach nothing (trash is "remove", not "spam").
 */
export function trainingLabel(comment: TrainableComment): SpamLabel | null {
  if (comment.status === 'approved') return 'ham';
  if (comment.status !== 'spam') return null;
  // The guards' verdicts (rules.ts) are machine guesses, not the site's judgement.
  const byMachine = comment.previousStatus === null && isReasonAmong(GUARD_SPAM_REASONS, comment.decisionReason);
  return byMachine ? null : 'spam';
}

/** Reads the evidence stored with a comment (JSON written by the service); anything malformed reads as none. */
export function parseSpamEvidence(stored: string | null): SpamEvidence[] {
  if (!stored) return [];
  try {
    const parsed: unknown = JSON.parse(stored);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((e): e is SpamEvidence => typeof e?.token === 'string' && typeof e?.weight === 'number' && Number.isFinite(e.weight));
  } catch {
    return [];
  }
}

export type TokenKind = 'word' | 'link' | 'links' | 'site' | 'email' | 'name' | 'longWord';

/** What a token stands for, so the moderation screen can say it in words ("a link to casino.example"). */
export function describeToken(token: string): { kind: TokenKind; value: string } {
  if (token === 'long-word') return { kind: 'longWord', value: '' };
  const match = /^(link|links|site|email|name):(.*)$/s.exec(token);
  return match ? { kind: match[1] as TokenKind, value: match[2] } : { kind: 'word', value: token };
}

/** The pure model as the storage layer runs it inside a transaction (db/queries/spam-filter.ts). */
export const SPAM_TRAINER = Object.freeze({ tokenize: tokenizeComment, label: trainingLabel, step: trainingStep });
