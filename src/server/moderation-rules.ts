import type { Db } from '../../db/client';
import { readSetting, writeSetting } from '../../db/queries/settings';
import { DEFAULT_MODERATION_RULES, ModerationRulesSchema, type ModerationRules } from '../domain/comments/rules';

const RULES_KEY = 'moderation-rules';

/** The moderators' rules, or the defaults when none are stored or the stored JSON is unusable. */
export function getModerationRules(db: Db): ModerationRules {
  const stored = readSetting(db, RULES_KEY);
  if (!stored) return DEFAULT_MODERATION_RULES;
  try {
    const parsed = ModerationRulesSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : DEFAULT_MODERATION_RULES;
  } catch {
    return DEFAULT_MODERATION_RULES;
  }
}

/** Stores validated rules. */
export function saveModerationRules(db: Db, rules: ModerationRules): void {
  writeSetting(db, RULES_KEY, JSON.stringify(ModerationRulesSchema.parse(rules)));
}
