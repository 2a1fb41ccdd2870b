import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, addTestModerators } from '../../db/testing.ts';
import { getModerationRules, saveRulesFromForm } from './moderation-rules.ts';

const mia = { id: 1, name: 'Mia' };
const now = new Date('2026-11-30T12:00:00Z');
const base = { autoApproveKnownAuthors: 'on', maxLinks: '2', holdWords: '', blockWords: '', closeAfterDays: '', maxDepth: '5' };

async function setup() {
  const db = await createTestDb();
  await addTestModerators(db, ['mia@example.com', 'Mia']);
  return db;
}

describe('saveRulesFromForm: the learning filter', () => {
  test('saves the threshold and minimum, and an empty threshold switches it off', async () => {
    const db = await setup();
    assert.deepEqual(await saveRulesFromForm(db, mia, { ...base, spamThreshold: '75', spamMinDecisions: '5' }, now), { ok: true });
    assert.deepEqual([(await getModerationRules(db)).spamThreshold, (await getModerationRules(db)).spamMinDecisions], [75, 5]);
    await saveRulesFromForm(db, mia, { ...base, spamThreshold: '', spamMinDecisions: '5' }, now);
    assert.equal((await getModerationRules(db)).spamThreshold, null);
  });

  test('refuses values out of bounds and keeps the stored rules', async () => {
    const db = await setup();
    assert.deepEqual(await saveRulesFromForm(db, mia, { ...base, spamThreshold: '100', spamMinDecisions: '0' }, now), {
      ok: false,
      errors: { spamThreshold: 'number', spamMinDecisions: 'number' },
    });
    assert.deepEqual(await saveRulesFromForm(db, mia, { ...base, spamThreshold: '49', spamMinDecisions: '' }, now), {
      ok: false,
      errors: { spamThreshold: 'number', spamMinDecisions: 'number' },
    });
    assert.deepEqual([(await getModerationRules(db)).spamThreshold, (await getModerationRules(db)).spamMinDecisions], [90, 20]);
  });

  test('a form without the filter’s fields leaves them as they were', async () => {
    const db = await setup();
    await saveRulesFromForm(db, mia, { ...base, spamThreshold: '60', spamMinDecisions: '3' }, now);
    assert.deepEqual(await saveRulesFromForm(db, mia, { ...base, maxLinks: '4' }, now), { ok: true });
    const rules = await getModerationRules(db);
    assert.deepEqual([rules.maxLinks, rules.spamThreshold, rules.spamMinDecisions], [4, 60, 3]);
  });
});
