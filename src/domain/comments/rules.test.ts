import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideNewCommentStatus,
  isClosedForComments,
  parseWordList,
  ModerationRulesSchema,
  RULES_NUMBER_RANGES,
  DEFAULT_MODERATION_RULES,
  type NewCommentFacts,
  type ModerationRules,
} from './rules';

const facts = (over: Partial<NewCommentFacts> = {}): NewCommentFacts => ({
  name: 'Ada',
  email: 'ada@example.com',
  website: null,
  body: 'Lovely post, thanks.',
  linkCount: 0,
  authorProven: false,
  claimsModeratorIdentity: false,
  honeypotFilled: false,
  formToken: 'valid',
  secondsSinceFormServed: 60,
  minSecondsToSubmit: 3,
  spamScore: null,
  spamFilterTrained: false,
  ...over,
});
const rules = (over: Partial<ModerationRules> = {}): ModerationRules => ({ ...DEFAULT_MODERATION_RULES, ...over });
const decide = (f: Partial<NewCommentFacts> = {}, r: Partial<ModerationRules> = {}) =>
  decideNewCommentStatus(facts(f), rules(r));

describe('ModerationRulesSchema', () => {
  test('each number rule accepts exactly its range, the same one the settings form names', () => {
    for (const [field, { min, max }] of Object.entries(RULES_NUMBER_RANGES)) {
      assert.equal(ModerationRulesSchema.safeParse({ [field]: min }).success, true, `${field} ${min}`);
      assert.equal(ModerationRulesSchema.safeParse({ [field]: max }).success, true, `${field} ${max}`);
      assert.equal(ModerationRulesSchema.safeParse({ [field]: min - 1 }).success, false, `${field} ${min - 1}`);
      assert.equal(ModerationRulesSchema.safeParse({ [field]: max + 1 }).success, false, `${field} ${max + 1}`);
    }
  });

  test('empty settings get the documented defaults', () => {
    assert.deepEqual(ModerationRulesSchema.parse({}), {
      autoApproveKnownAuthors: true,
      maxLinks: 2,
      holdWords: [],
      blockWords: [],
      closeAfterDays: null,
      maxDepth: 5,
      spamThreshold: 90,
      spamMinDecisions: 20,
      webhookUrls: [],
    });
    assert.deepEqual(DEFAULT_MODERATION_RULES, ModerationRulesSchema.parse({}));
  });

  test('rejects out-of-range settings', () => {
    for (const bad of [{ maxLinks: -1 }, { maxLinks: 1.5 }, { closeAfterDays: 0 }, { maxDepth: 0 }, { maxDepth: 11 }, { spamThreshold: 49 }, { spamThreshold: 100 }, { spamMinDecisions: 0 }]) {
      assert.equal(ModerationRulesSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
    assert.equal(ModerationRulesSchema.safeParse({ closeAfterDays: 30, maxDepth: 10, maxLinks: 0 }).success, true);
  });

  test('the shared defaults cannot be mutated by accident', () => {
    assert.throws(() => (DEFAULT_MODERATION_RULES.blockWords as string[]).push('x'));
  });
});

describe('decideNewCommentStatus: the learning filter', () => {
  const trained = { spamScore: 0.93, spamFilterTrained: true };
  test('a score at or above the threshold sends the comment to spam once the filter is trained', () => {
    assert.deepEqual(decide(trained), { status: 'spam', reason: 'spam-filter' });
    assert.deepEqual(decide({ ...trained, spamScore: 0.9 }), { status: 'spam', reason: 'spam-filter' });
    assert.deepEqual(decide({ ...trained, spamScore: 0.89 }), { status: 'pending', reason: 'default' });
    assert.deepEqual(decide(trained, { spamThreshold: 95 }), { status: 'pending', reason: 'default' });
  });

  test('keeps the other rules’ behaviour until trained, when switched off, or without a score', () => {
    assert.deepEqual(decide({ ...trained, spamFilterTrained: false }), { status: 'pending', reason: 'default' });
    assert.deepEqual(decide(trained, { spamThreshold: null }), { status: 'pending', reason: 'default' });
    assert.deepEqual(decide({ ...trained, spamScore: null }), { status: 'pending', reason: 'default' });
  });

  test('does not override a proven known author, and comes after the certain guards', () => {
    assert.deepEqual(decide({ ...trained, authorProven: true }), { status: 'approved', reason: 'known-author' });
    assert.deepEqual(decide({ ...trained, honeypotFilled: true }), { status: 'spam', reason: 'honeypot' });
    assert.deepEqual(decide({ ...trained, body: 'casino' }, { blockWords: ['casino'] }), { status: 'spam', reason: 'block-word' });
    assert.deepEqual(decide({ ...trained, body: 'casino' }, { holdWords: ['casino'] }), { status: 'spam', reason: 'spam-filter' });
  });
});

describe('decideNewCommentStatus', () => {
  test('an ordinary first comment waits for moderation', () => {
    assert.deepEqual(decide(), { status: 'pending', reason: 'default' });
  });

  test('a returning author with an approved comment is published straight away', () => {
    assert.deepEqual(decide({ authorProven: true }), { status: 'approved', reason: 'known-author' });
    assert.deepEqual(decide({ authorProven: true }, { autoApproveKnownAuthors: false }), {
      status: 'pending',
      reason: 'default',
    });
  });

  test('bot signals mark spam', () => {
    assert.deepEqual(decide({ honeypotFilled: true }), { status: 'spam', reason: 'honeypot' });
    assert.deepEqual(decide({ formToken: 'missing', secondsSinceFormServed: null }), { status: 'spam', reason: 'form-token' });
    assert.deepEqual(decide({ formToken: 'forged', secondsSinceFormServed: null }), { status: 'spam', reason: 'form-token' });
    assert.deepEqual(decide({ secondsSinceFormServed: 1 }), { status: 'spam', reason: 'too-fast' });
  });

  test('speed check: exactly the minimum passes; 0 disables it; unknown time is not held against the user', () => {
    assert.equal(decide({ secondsSinceFormServed: 3 }).reason, 'default');
    assert.equal(decide({ secondsSinceFormServed: 0, minSecondsToSubmit: 0 }).reason, 'default');
    assert.equal(decide({ secondsSinceFormServed: null }).reason, 'default');
  });

  test('first matching rule wins, in the documented order', () => {
    const everything: Partial<NewCommentFacts> = {
      authorBlocked: true,
      honeypotFilled: true,
      formToken: 'forged',
      secondsSinceFormServed: 0,
      body: 'cheap casino pills https://a https://b https://c',
      linkCount: 3,
      claimsModeratorIdentity: true,
      authorProven: true,
    };
    const r: Partial<ModerationRules> = { blockWords: ['casino'], holdWords: ['pills'] };
    const order: Array<[Partial<NewCommentFacts>, string]> = [
      [{}, 'blocked-author'],
      [{ authorBlocked: false }, 'honeypot'],
      [{ honeypotFilled: false }, 'form-token'],
      [{ formToken: 'valid' }, 'too-fast'],
      [{ secondsSinceFormServed: 30 }, 'block-word'],
      [{ body: 'cheap pills https://a https://b https://c' }, 'hold-word'],
      [{ body: 'https://a https://b https://c' }, 'too-many-links'],
      [{ linkCount: 2 }, 'moderator-identity'],
      [{ claimsModeratorIdentity: false }, 'known-author'],
      [{ authorProven: false }, 'default'],
    ];
    let current = { ...everything };
    for (const [change, reason] of order) {
      current = { ...current, ...change };
      assert.equal(decide(current, r).reason, reason, JSON.stringify(change));
    }
  });

  test('a blocked author goes straight to spam, even when proven or approved before', () => {
    assert.deepEqual(decide({ authorBlocked: true, authorProven: true }), { status: 'spam', reason: 'blocked-author' });
    assert.deepEqual(decide({ authorBlocked: false, authorProven: true }), { status: 'approved', reason: 'known-author' });
  });

  test('a known author cannot bypass spam guards, hold words or the link limit', () => {
    assert.equal(decide({ authorProven: true, honeypotFilled: true }).status, 'spam');
    assert.equal(decide({ authorProven: true, body: 'buy viagra' }, { blockWords: ['viagra'] }).status, 'spam');
    assert.equal(decide({ authorProven: true, body: 'a crypto tip' }, { holdWords: ['crypto'] }).status, 'pending');
    assert.equal(decide({ authorProven: true, linkCount: 3 }).status, 'pending');
  });

  test("a moderator's name or email typed into the public form is held, even for a proven author", () => {
    assert.deepEqual(decide({ claimsModeratorIdentity: true }), { status: 'pending', reason: 'moderator-identity' });
    assert.deepEqual(decide({ claimsModeratorIdentity: true, authorProven: true }), { status: 'pending', reason: 'moderator-identity' });
    assert.equal(decide({ claimsModeratorIdentity: true, honeypotFilled: true }).status, 'spam');
  });

  test('link limit: maxLinks links are fine, one more is held; maxLinks 0 holds any link', () => {
    assert.equal(decide({ linkCount: 2 }).reason, 'default');
    assert.equal(decide({ linkCount: 3 }).reason, 'too-many-links');
    assert.equal(decide({ linkCount: 1 }, { maxLinks: 0 }).reason, 'too-many-links');
  });

  describe('word lists', () => {
    const blocked = (f: Partial<NewCommentFacts>, blockWords: string[]) => decide(f, { blockWords }).reason === 'block-word';

    test('match case-insensitively in name, e-mail, website and body', () => {
      assert.ok(blocked({ body: 'Visit my CASINO now' }, ['casino']));
      assert.ok(blocked({ name: 'Casino King' }, ['casino']));
      assert.ok(blocked({ email: 'promo@cheap-pills.example' }, ['cheap-pills']));
      assert.ok(blocked({ website: 'https://spam.example/' }, ['spam.example']));
      assert.ok(!blocked({ body: 'Lovely post' }, ['casino']));
    });

    test('plain words match whole words only, so innocent words containing them pass', () => {
      assert.ok(!blocked({ body: 'As a specialist in Sussex I disagree' }, ['cialis', 'sex']));
      assert.ok(blocked({ body: 'cialis, cheap!' }, ['cialis']));
      assert.ok(blocked({ body: '(sex)' }, ['sex']));
    });

    test('whole-word matching is Unicode-aware', () => {
      assert.ok(!blocked({ body: 'Schöner Tag' }, ['ner'])); // ö is a letter, not a boundary
      assert.ok(blocked({ body: 'Ein ÜBEL hier' }, ['übel']));
      assert.ok(blocked({ body: 'Купить СКИДКИ сегодня' }, ['скидки']));
      assert.ok(!blocked({ body: 'распродажа' }, ['прод']));
    });

    test('full-width look-alikes do not evade the list', () => {
      assert.ok(blocked({ body: 'ｖｉａｇｒａ here' }, ['viagra']));
    });

    test('phrases match across any whitespace', () => {
      assert.ok(blocked({ body: 'please Buy\n  Now!' }, ['buy now']));
      assert.ok(!blocked({ body: 'buy it now' }, ['buy now']));
    });

    test('entries with non-letters (domains, URLs, symbols) match as substrings', () => {
      assert.ok(blocked({ body: 'see http://x.spam.ru/page' }, ['spam.ru']));
      assert.ok(blocked({ body: 'earn $$$ fast' }, ['$$$']));
      assert.ok(blocked({ body: 'a.b(c)[d]*' }, ['(c)[d]*'])); // regex metacharacters are literal
    });

    test('Chinese/Japanese/Thai entries match inside unspaced text', () => {
      assert.ok(blocked({ body: '这里有在线赌博网站' }, ['赌博']));
      assert.ok(blocked({ body: 'オンラインカジノで遊ぶ' }, ['カジノ']));
    });

    test('blank entries never match everything', () => {
      assert.equal(decide({}, { blockWords: ['', '   '], holdWords: [''] }).reason, 'default');
    });

    test('hold words send to moderation, not spam', () => {
      assert.deepEqual(decide({ body: 'My crypto journey' }, { holdWords: ['crypto'] }), {
        status: 'pending',
        reason: 'hold-word',
      });
    });
  });
});

describe('isClosedForComments', () => {
  const pubDate = new Date('2024-01-01T12:00:00Z');
  const day = 86_400_000;
  const post = { commentsEnabled: true, pubDate };

  test('comments switched off on the post close it whatever the age', () => {
    assert.equal(isClosedForComments({ ...post, commentsEnabled: false }, rules(), pubDate), true);
  });

  test('without closeAfterDays a post stays open forever', () => {
    assert.equal(isClosedForComments(post, rules(), new Date(pubDate.getTime() + 5000 * day)), false);
  });

  test('closes only once more than closeAfterDays have passed', () => {
    const r = rules({ closeAfterDays: 14 });
    assert.equal(isClosedForComments(post, r, new Date(pubDate.getTime() + 14 * day)), false);
    assert.equal(isClosedForComments(post, r, new Date(pubDate.getTime() + 14 * day + 1000)), true);
    assert.equal(isClosedForComments(post, r, new Date(pubDate.getTime() - day)), false); // scheduled post
  });
});

describe('parseWordList', () => {
  test('accepts one entry per line or comma-separated, trimmed, without empties', () => {
    assert.deepEqual(parseWordList('casino\r\n  buy now \n\n, viagra,,cheap pills\n'), [
      'casino',
      'buy now',
      'viagra',
      'cheap pills',
    ]);
  });

  test('drops case-insensitive duplicates, keeping the first spelling', () => {
    assert.deepEqual(parseWordList('Casino\ncasino, CASINO\nÜbel\nübel'), ['Casino', 'Übel']);
  });

  test('empty text gives an empty list', () => {
    assert.deepEqual(parseWordList('  \n , \n'), []);
  });
});
