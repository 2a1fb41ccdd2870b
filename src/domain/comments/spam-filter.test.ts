import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMPTY_TOTALS,
  MAX_TOKEN_REPEATS,
  MAX_TOKENS,
  canScore,
  describeToken,
  parseSpamEvidence,
  isFilterTrained,
  scoreTokens,
  tokenizeComment,
  trainingLabel,
  trainingStep,
  type SpamFilterInput,
  type SpamFilterTotals,
  type SpamLabel,
  type TokenCounts,
} from './spam-filter';

const comment = (body: string, over: Partial<SpamFilterInput> = {}): SpamFilterInput => ({ body, name: 'Ann', email: 'ann@example.com', website: null, ...over });

/** The database's part, in memory: per-token counts and totals, updated only through trainingStep. */
class MemoryModel {
  counts = new Map<string, TokenCounts>();
  totals: SpamFilterTotals = EMPTY_TOTALS;
  apply(input: SpamFilterInput, label: SpamLabel, direction: 1 | -1 = 1) {
    const step = trainingStep(tokenizeComment(input), label, direction, this.counts, this.totals);
    for (const row of step.rows) {
      if (row.ham + row.spam === 0) this.counts.delete(row.token);
      else this.counts.set(row.token, { ham: row.ham, spam: row.spam });
    }
    this.totals = step.totals;
  }
  score(input: SpamFilterInput) {
    return scoreTokens(tokenizeComment(input), this.counts, this.totals);
  }
}

const HAM = [
  'Thanks for the write-up, the timeline of the outage is really clear.',
  'Did the failover to the second region work as planned during the incident?',
  'We saw the same latency spike on our side, the graphs match yours.',
  'Great post. How long did the database migration take in the end?',
  'Could you share the runbook you used for the rollback?',
];
const SPAM = [
  'Cheap pills online, best casino bonus, visit https://cheap-pills.example now',
  'Win big at our casino! Free bonus spins https://casino.example/win',
  'Buy cheap watches and pills, huge discount https://cheap-pills.example/deal',
  'Casino bonus for everyone, click https://casino.example today',
];

function trained(): MemoryModel {
  const model = new MemoryModel();
  for (const body of HAM) model.apply(comment(body), 'ham');
  for (const body of SPAM) model.apply(comment(body, { name: 'Best Deals', email: 'win@spam.example' }), 'spam');
  return model;
}

describe('tokenizeComment', () => {
  test('reads words, link domains and counts, and the author fields without the address itself', () => {
    const bag = tokenizeComment({ body: 'See https://www.Example.org/page and http://other.example?x=1', name: 'Ann Lee', email: 'Ann@Mail.Example', website: 'https://blog.example/' });
    assert.deepEqual(
      [...bag.keys()].sort(),
      ['and', 'email:mail.example', 'link:example.org', 'link:other.example', 'links:2', 'name:ann', 'name:lee', 'see', 'site:blog.example'].sort(),
    );
    assert.ok(![...bag.keys()].some((token) => token.includes('ann@')), 'the email address itself is never a token');
  });

  test('an empty comment still has its shape features', () => {
    assert.deepEqual([...tokenizeComment({ body: '', name: '', email: '', website: null }).keys()], ['links:0']);
  });

  test('folds case and width, keeps accented words whole and splits unspaced scripts into pairs', () => {
    const bag = tokenizeComment(comment('ＣＡＳＩＮＯ Größe Straße 東京タワー'));
    assert.ok(bag.has('casino'));
    assert.ok(bag.has('größe') && bag.has('straße'));
    assert.ok(bag.has('東京') && bag.has('京タ') && bag.has('ワー'));
    assert.ok(!bag.has('東京タワー'));
  });

  test('caps repeats, long words and the number of distinct tokens whatever the input size', () => {
    assert.equal(tokenizeComment(comment('buy '.repeat(50))).get('buy'), MAX_TOKEN_REPEATS);
    assert.ok(tokenizeComment(comment(`x${'a'.repeat(500)}`)).has('long-word'));
    const huge = Array.from({ length: 400_000 }, (_, i) => `w${i}`).join(' ');
    const bag = tokenizeComment(comment(huge));
    assert.equal(bag.size, MAX_TOKENS);
    assert.ok(bag.has('w0') && !bag.has('w399999'));
  });
});

describe('scoreTokens', () => {
  test('cannot score before it has learned one comment of each class', () => {
    const model = new MemoryModel();
    assert.equal(model.score(comment('casino')), null);
    model.apply(comment('casino bonus'), 'spam');
    assert.equal(model.score(comment('casino')), null);
    model.apply(comment('nice post'), 'ham');
    assert.ok(model.score(comment('casino')) !== null);
  });

  test('scores spam-like comments high and ham-like comments low', () => {
    const model = trained();
    const spammy = model.score(comment('Huge casino bonus and cheap pills https://casino.example'))!;
    const hammy = model.score(comment('How long did the rollback of the database take during the outage?'))!;
    assert.ok(spammy.probability > 0.95, `spammy ${spammy.probability}`);
    assert.ok(hammy.probability < 0.05, `hammy ${hammy.probability}`);
  });

  test('explains a score with the tokens that drove it, strongest first and signed', () => {
    const score = trained().score(comment('casino casino bonus, thanks for the post'))!;
    const tokens = score.evidence.map((e) => e.token);
    assert.equal(tokens[0], 'casino');
    assert.ok(score.evidence[0].weight > 0);
    assert.ok(score.evidence.some((e) => e.token === 'the' && e.weight < 0));
    const sizes = score.evidence.map((e) => Math.abs(e.weight));
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
  });

  test('words it has never seen do not move the score', () => {
    const model = trained();
    const base = model.score(comment('casino'))!.probability;
    assert.equal(model.score(comment('casino zyxwv qwertz'))!.probability, base);
  });

  test('stays a finite probability for very long text', () => {
    const model = trained();
    const score = model.score(comment('casino bonus pills '.repeat(5000)))!;
    assert.ok(Number.isFinite(score.probability) && score.probability > 0.99 && score.probability <= 1);
  });
});

describe('trainingStep', () => {
  test('learning then forgetting returns the model to where it was', () => {
    const model = trained();
    const before = { counts: new Map(model.counts), totals: model.totals };
    const extra = comment('A brand new word: flibbertigibbet, and casino');
    model.apply(extra, 'spam');
    assert.equal(model.totals.spamDocs, before.totals.spamDocs + 1);
    assert.ok(model.counts.has('flibbertigibbet'));
    model.apply(extra, 'spam', -1);
    assert.deepEqual(model.totals, before.totals);
    assert.deepEqual(model.counts, before.counts);
  });

  test('moving a comment from spam to ham changes its similar neighbours’ scores', () => {
    const model = trained();
    const text = comment('Cheap flights to the conference, see https://travel.example');
    model.apply(text, 'spam');
    const asSpam = model.score(comment('cheap flights to the conference https://travel.example'))!.probability;
    model.apply(text, 'spam', -1);
    model.apply(text, 'ham');
    const asHam = model.score(comment('cheap flights to the conference https://travel.example'))!.probability;
    assert.ok(asHam < asSpam, `${asHam} < ${asSpam}`);
  });

  test('forgetting what was never learned leaves no negative counts', () => {
    const step = trainingStep(tokenizeComment(comment('never learned')), 'ham', -1, new Map(), EMPTY_TOTALS);
    assert.deepEqual(step.totals, EMPTY_TOTALS);
    assert.ok(step.rows.every((row) => row.ham === 0 && row.spam === 0));
  });

  test('keeps the vocabulary size equal to the number of known tokens', () => {
    const model = trained();
    assert.equal(model.totals.vocabulary, model.counts.size);
    assert.equal(model.totals.hamDocs, HAM.length);
    assert.equal(model.totals.spamDocs, SPAM.length);
  });
});

describe('readiness', () => {
  test('needs both classes, and the minimum of each to act', () => {
    assert.equal(canScore({ ...EMPTY_TOTALS, hamDocs: 3 }), false);
    assert.equal(canScore({ ...EMPTY_TOTALS, hamDocs: 3, spamDocs: 1 }), true);
    assert.equal(isFilterTrained({ ...EMPTY_TOTALS, hamDocs: 30, spamDocs: 19 }, 20), false);
    assert.equal(isFilterTrained({ ...EMPTY_TOTALS, hamDocs: 20, spamDocs: 20 }, 20), true);
  });
});

describe('trainingLabel', () => {
  test('approved is ham, spam by a person is spam, machine verdicts, pending and trash teach nothing', () => {
    const label = (status: 'pending' | 'approved' | 'spam' | 'trash', previousStatus: 'pending' | 'approved' | null, decisionReason: string | null) =>
      trainingLabel({ status, previousStatus, decisionReason });
    assert.equal(label('approved', null, 'default'), 'ham');
    assert.equal(label('approved', null, 'known-author'), 'ham');
    assert.equal(label('approved', null, 'honeypot'), 'ham', 'a moderator approved a guard verdict');
    assert.equal(label('spam', 'pending', 'default'), 'spam');
    assert.equal(label('spam', 'approved', 'known-author'), 'spam');
    assert.equal(label('spam', null, 'imported'), 'spam');
    for (const reason of ['honeypot', 'form-token', 'too-fast', 'block-word', 'spam-filter']) assert.equal(label('spam', null, reason), null, reason);
    assert.equal(label('pending', null, 'default'), null);
    assert.equal(label('trash', 'approved', 'default'), null);
  });
});

describe('explaining to moderators', () => {
  test('stored evidence reads back, and anything malformed reads as none', () => {
    assert.deepEqual(parseSpamEvidence('[{"token":"casino","weight":2.5},{"token":"x"},{"weight":1}]'), [{ token: 'casino', weight: 2.5 }]);
    for (const bad of [null, '', 'not json', '{"token":"a"}', '[null, 3]']) assert.deepEqual(parseSpamEvidence(bad), [], String(bad));
  });

  test('each kind of token says what it stands for', () => {
    assert.deepEqual(describeToken('casino'), { kind: 'word', value: 'casino' });
    assert.deepEqual(describeToken('link:casino.example'), { kind: 'link', value: 'casino.example' });
    assert.deepEqual(describeToken('links:3+'), { kind: 'links', value: '3+' });
    assert.deepEqual(describeToken('name:bob'), { kind: 'name', value: 'bob' });
    assert.deepEqual(describeToken('long-word'), { kind: 'longWord', value: '' });
  });
});
