/**
 * What status a new comment gets, and whether a post still accepts comments.
 * Each spam guard is a small pure rule; `decideNewCommentStatus` applies them in a fixed order
 * and reports which one decided, so the moderation screen can say *why* a comment was held.
 */
import { z } from 'astro/zod';
import type { CommentStatus } from './types';
import { MAX_WEBHOOK_URLS } from '../webhooks/webhooks';

/** Site-wide moderation settings (stored as JSON; every field has a default so old settings keep parsing). */
/** The rules a moderator sets as whole numbers, and the range each accepts (the schema below and the settings form's messages use these). */
export type RulesField = 'maxLinks' | 'closeAfterDays' | 'maxDepth' | 'spamThreshold' | 'spamMinDecisions';
export const RULES_NUMBER_RANGES: Record<RulesField, { min: number; max: number; optional: boolean }> = {
  maxLinks: { min: 0, max: 1000, optional: false },
  closeAfterDays: { min: 1, max: 100_000, optional: true },
  maxDepth: { min: 1, max: 10, optional: false },
  spamThreshold: { min: 50, max: 99, optional: true },
  spamMinDecisions: { min: 1, max: 10_000, optional: false },
};
const whole = (field: RulesField) => z.number().int().min(RULES_NUMBER_RANGES[field].min).max(RULES_NUMBER_RANGES[field].max);

export const ModerationRulesSchema = z.object({
  /**
   * Skip the queue for an author who has proved they wrote an approved comment (WordPress'
   * "previously approved"): a comment of theirs was approved and this browser wrote it, or they
   * confirmed their address. A typed email alone proves nothing.
   */
  autoApproveKnownAuthors: z.boolean().default(true),
  /** More links than this holds the comment for review: link spam is the most common spam. */
  maxLinks: whole('maxLinks').default(2),
  /** Words/phrases that send a comment to the queue (pending) for a human to judge. */
  holdWords: z.array(z.string()).default([]),
  /** Words/phrases that mark a comment as spam outright. */
  blockWords: z.array(z.string()).default([]),
  /** Close comments on posts older than this many days (old posts attract mostly spam); null = never. */
  closeAfterDays: whole('closeAfterDays').nullable().default(null),
  /** Deepest reply nesting shown; deeper replies are flattened so narrow screens stay readable. */
  maxDepth: whole('maxDepth').default(5),
  /**
   * The learning filter's score (percent) from which a new comment goes straight to spam; null =
   * never (scores are still shown). It acts only once the filter has learned `spamMinDecisions`
   * comments of each class, so a new site keeps the other rules' behaviour until then.
   */
  spamThreshold: whole('spamThreshold').nullable().default(90),
  /** Approved and spam decisions (each) the filter must have learned before `spamThreshold` acts. */
  spamMinDecisions: whole('spamMinDecisions').default(20),
  /** Where new pending and newly published comments are POSTed (see src/domain/webhooks/webhooks.ts). */
  webhookUrls: z.array(z.string().url()).max(MAX_WEBHOOK_URLS).default([]),
});

export type ModerationRules = z.infer<typeof ModerationRulesSchema>;

/** The defaults, for a fresh install or when stored settings are missing. */
export const DEFAULT_MODERATION_RULES: ModerationRules = (() => {
  const rules = ModerationRulesSchema.parse({});
  // Deep-freeze: a caller pushing into the shared default word lists must fail loudly, not leak into every request.
  Object.freeze(rules.holdWords);
  Object.freeze(rules.blockWords);
  Object.freeze(rules.webhookUrls);
  return Object.freeze(rules);
})();

/** What the server knows about a freshly submitted (already validated) comment. */
export interface NewCommentFacts {
  name: string;
  email: string;
  website: string | null;
  body: string;
  /** Links in the rendered body. */
  linkCount: number;
  /** The author proved to be someone with an approved comment (see `autoApproveKnownAuthors`). */
  authorProven: boolean;
  /** The typed name or email looks like a moderator's: never trusted from the public form. */
  claimsModeratorIdentity: boolean;
  /** The hidden field humans never see was filled in. */
  honeypotFilled: boolean;
  /** A moderator blocked this author (by email or client address): "Block author". */
  authorBlocked?: boolean;
  /** 'expired' is handled before this point (the user gets a message and can resubmit). */
  formToken: 'valid' | 'missing' | 'forged';
  /** Null when unknown (no valid token). */
  secondsSinceFormServed: number | null;
  /** 0 disables the speed check. */
  minSecondsToSubmit: number;
  /** The learning filter's P(spam), null when it cannot score yet. */
  spamScore: number | null;
  /** The filter has learned `spamMinDecisions` comments of each class (see `isFilterTrained`). */
  spamFilterTrained: boolean;
}

export type DecisionReason =
  | 'blocked-author'
  | 'honeypot'
  | 'form-token'
  | 'too-fast'
  | 'block-word'
  | 'spam-filter'
  | 'hold-word'
  | 'too-many-links'
  | 'moderator-identity'
  | 'known-author'
  | 'default';

export type Decision = { status: CommentStatus; reason: DecisionReason };

/**
 * The spam guard's own verdicts (a bot's traits, a blocked word, a blocked author): they are for
 * moderators; to its author such a comment shows as awaiting review, like any other held comment.
 */
export const GUARD_SPAM_REASONS: readonly HeldReason[] = Object.freeze(['blocked-author', 'honeypot', 'form-token', 'too-fast', 'block-word', 'spam-filter'] as const);

/** A reason a comment was held rather than approved at once. */
export type HeldReason = Exclude<DecisionReason, 'known-author'>;

/** The reasons a comment was held, which the moderation queue explains to moderators. */
export const HELD_REASONS: readonly HeldReason[] = Object.freeze([...GUARD_SPAM_REASONS, 'hold-word', 'too-many-links', 'moderator-identity', 'default'] as const);

/** Whether a stored decision reason (any string: imports store their own) is one of these. */
export function isReasonAmong<R extends DecisionReason>(reasons: readonly R[], reason: string | null): reason is R {
  return reason !== null && (reasons as readonly string[]).includes(reason);
}

// ---------------------------------------------------------------------------
// Word matching
// ---------------------------------------------------------------------------

/** Case- and width-insensitive form: NFKC folds look-alikes such as full-width "ｖｉａｇｒａ", then lowercase. */
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

const WORD_CHAR = '[\\p{L}\\p{M}\\p{N}]';
/** Entries made only of letters, digits and spaces are "plain words/phrases". */
const PLAIN_ENTRY = /^[\p{L}\p{M}\p{N}]+(?:\s+[\p{L}\p{M}\p{N}]+)*$/u;
/** Scripts written without spaces between words: whole-word matching would never match there. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Compiles a word-list entry into a matcher over folded text.
 * Choice: plain words and phrases ("casino", "buy now") match whole words only — Unicode-aware, so "cialis" does
 * not fire inside "specialist" and "sex" not inside "Sussex"; spaces in a phrase match any run of whitespace.
 * Entries with any other character ("example.ru", "http://", "$$$", "e-mail") and entries in scripts written
 * without spaces (Chinese, Japanese, Thai…) match as substrings, which is what people mean by them.
 */
function compileEntry(entry: string): ((text: string) => boolean) | null {
  const folded = fold(entry).trim();
  if (folded === '') return null;
  if (PLAIN_ENTRY.test(folded) && !UNSPACED_SCRIPT.test(folded)) {
    const body = folded.split(/\s+/u).map(escapeRegExp).join('\\s+');
    const re = new RegExp(`(?<!${WORD_CHAR})${body}(?!${WORD_CHAR})`, 'u');
    return (text) => re.test(text);
  }
  return (text) => text.includes(folded);
}

/** True when any entry of `list` occurs in any of the texts. */
function containsListedWord(list: readonly string[], texts: readonly string[]): boolean {
  if (list.length === 0) return false;
  const folded = texts.map(fold);
  return list.some((entry) => {
    const matches = compileEntry(entry);
    return matches !== null && folded.some(matches);
  });
}

// ---------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------

/**
 * Whether the learning filter sends this comment to spam: a threshold is set, the filter has seen
 * enough decisions of each class, and the score reaches the threshold. An author who proved an
 * earlier approved comment is exempt: a statistical guess does not outweigh that proof.
 */
function spamFilterSaysSpam(facts: NewCommentFacts, rules: ModerationRules): boolean {
  if (rules.spamThreshold === null || facts.spamScore === null || facts.authorProven || !facts.spamFilterTrained) return false;
  return facts.spamScore * 100 >= rules.spamThreshold;
}

/**
 * Decides the initial status of a new comment. First matching rule wins:
 * blocked author → spam; honeypot → spam; missing/forged form token → spam; submitted faster than
 * a human could → spam; block word (in name, e-mail, website or body) → spam; learning filter's
 * score at or above the threshold (once trained) → spam; hold word → pending; more links than allowed → pending;
 * a moderator's name or email typed into the public form → pending (flagged for the moderators);
 * proven known author (and auto-approve on) → approved; otherwise pending.
 * Spam guards come before the known-author shortcut, so a known author cannot bypass them.
 */
export function decideNewCommentStatus(facts: NewCommentFacts, rules: ModerationRules): Decision {
  if (facts.authorBlocked) return { status: 'spam', reason: 'blocked-author' };
  if (facts.honeypotFilled) return { status: 'spam', reason: 'honeypot' };
  if (facts.formToken !== 'valid') return { status: 'spam', reason: 'form-token' };
  if (
    facts.minSecondsToSubmit > 0 &&
    facts.secondsSinceFormServed !== null &&
    facts.secondsSinceFormServed < facts.minSecondsToSubmit
  ) {
    return { status: 'spam', reason: 'too-fast' };
  }
  const texts = [facts.name, facts.email, facts.website ?? '', facts.body];
  if (containsListedWord(rules.blockWords, texts)) return { status: 'spam', reason: 'block-word' };
  if (spamFilterSaysSpam(facts, rules)) return { status: 'spam', reason: 'spam-filter' };
  if (containsListedWord(rules.holdWords, texts)) return { status: 'pending', reason: 'hold-word' };
  if (facts.linkCount > rules.maxLinks) return { status: 'pending', reason: 'too-many-links' };
  if (facts.claimsModeratorIdentity) return { status: 'pending', reason: 'moderator-identity' };
  if (rules.autoApproveKnownAuthors && facts.authorProven) {
    return { status: 'approved', reason: 'known-author' };
  }
  return { status: 'pending', reason: 'default' };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a post no longer accepts new comments: comments disabled on the post, or `closeAfterDays` is set and
 * more than that many days (24 h each) have passed since publication. Exactly `closeAfterDays` days is still open.
 * `now` is a parameter so the decision is testable and consistent within one request.
 */
export function isClosedForComments(
  post: { commentsEnabled: boolean; pubDate: Date },
  rules: ModerationRules,
  now: Date,
): boolean {
  if (!post.commentsEnabled) return true;
  if (rules.closeAfterDays === null) return false;
  return now.getTime() - post.pubDate.getTime() > rules.closeAfterDays * DAY_MS;
}

/**
 * Parses the settings textarea for hold/block words: one word or phrase per line, or comma-separated.
 * Entries are trimmed, empties dropped and duplicates removed case-insensitively (first spelling kept),
 * so the saved list is what the moderator meant. A phrase therefore cannot contain a comma.
 */
export function parseWordList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[\r\n,]+/)) {
    const entry = part.trim();
    if (entry === '') continue;
    const key = fold(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return out;
}
