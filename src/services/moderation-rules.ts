import type { Db } from '../../db/client';
import { readSetting, writeSetting, writeSettingIfAbsent } from '../../db/queries/settings';
import { WEBHOOK_SECRET_KEY, generateWebhookSecret } from './webhook-delivery';
import { insertModerationLog } from '../../db/queries/moderation-log';
import { bumpSiteStamp } from '../../db/queries/page-stamps';
import { parseWebhookUrls } from '../domain/webhooks/webhooks';
import { DEFAULT_MODERATION_RULES, ModerationRulesSchema, parseWordList, RULES_NUMBER_RANGES, type ModerationRules, type RulesField } from '../domain/comments/rules';

const RULES_KEY = 'moderation-rules';

/** The moderators' rules, or the defaults when none are stored or the stored JSON is unusable. */
export async function getModerationRules(db: Db): Promise<ModerationRules> {
  const stored = await readSetting(db, RULES_KEY);
  if (!stored) return DEFAULT_MODERATION_RULES;
  try {
    const parsed = ModerationRulesSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : DEFAULT_MODERATION_RULES;
  } catch {
    return DEFAULT_MODERATION_RULES;
  }
}

/** Stores validated rules. */
export async function saveModerationRules(db: Db, rules: ModerationRules): Promise<void> {
  await writeSetting(db, RULES_KEY, JSON.stringify(ModerationRulesSchema.parse(rules)));
}

export { RULES_NUMBER_RANGES, type RulesField } from '../domain/comments/rules';
/** What can be wrong with the form: a number out of its range, or a webhook URL (`entry` names the bad line). */
export type RulesErrors = Partial<Record<RulesField, 'number'>> & { webhookUrls?: { error: 'url'; entry: string } | { error: 'tooMany' } };
export type RulesOutcome = { ok: true } | { ok: false; errors: RulesErrors };

/** Reads the settings form (checkbox, numbers, one word per line), validates and stores it; the change is logged. */
export async function saveRulesFromForm(db: Db, moderator: { id: number; name: string }, fields: Record<string, unknown>, now: Date): Promise<RulesOutcome> {
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string).trim() : '');
  const errors: RulesErrors = {};
  const stored = await getModerationRules(db);
  const whole = (name: RulesField): number | null => {
    const { min, max, optional } = RULES_NUMBER_RANGES[name];
    const raw = text(name);
    if (optional && raw === '') return null;
    if (!/^\d{1,6}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      errors[name] = 'number';
      return null;
    }
    return Number(raw);
  };
  const webhookUrls = (): string[] => {
    const parsed = parseWebhookUrls(text('webhookUrls'));
    if (parsed.ok) return parsed.urls;
    const { ok: _ok, ...problem } = parsed;
    errors.webhookUrls = problem;
    return [];
  };
  const rules = {
    autoApproveKnownAuthors: fields.autoApproveKnownAuthors === 'on',
    maxLinks: whole('maxLinks'),
    holdWords: parseWordList(text('holdWords')),
    blockWords: parseWordList(text('blockWords')),
    closeAfterDays: whole('closeAfterDays'),
    maxDepth: whole('maxDepth'),
    // Added later: a form (or script) written before these fields existed leaves them as they are.
    spamThreshold: 'spamThreshold' in fields ? whole('spamThreshold') : stored.spamThreshold,
    spamMinDecisions: 'spamMinDecisions' in fields ? whole('spamMinDecisions') : stored.spamMinDecisions,
    webhookUrls: 'webhookUrls' in fields ? webhookUrls() : stored.webhookUrls,
  };
  if (Object.keys(errors).length) return { ok: false, errors };
  await db.transaction(async (tx) => {
    await saveModerationRules(tx, ModerationRulesSchema.parse(rules));
    // The first webhook address gets a signing secret to go with it.
    if (rules.webhookUrls.length) await writeSettingIfAbsent(tx, WEBHOOK_SECRET_KEY, generateWebhookSecret());
    await bumpSiteStamp(tx);
    await insertModerationLog(tx, { moderatorId: moderator.id, moderatorName: moderator.name, action: 'rules', commentId: null, detail: 'moderation rules changed', createdAt: now });
  });
  return { ok: true };
}
