/**
 * `npm run spam-filter -- status | retrain`: what the learning spam filter has learned, and a
 * rebuild from the comments stored now (forgets everything first: use it after restoring a backup
 * or changing comments in the database by hand). `npm start` trains it once by itself on a
 * database that never trained it; every later moderation decision trains it as it happens.
 */
import { getModerationRules } from '../src/services/moderation-rules';
import { loadSpamFilterStatus, rebuildSpamFilter } from '../src/services/spam-filter';
import { CliError, openConfiguredDb, runCli } from './cli';

const USAGE = 'Usage: npm run spam-filter -- status | retrain';

await runCli(async () => {
  const [command, ...rest] = process.argv.slice(2);
  if (rest.length || (command !== 'status' && command !== 'retrain')) throw new CliError(USAGE);
  const db = await openConfiguredDb();
  try {
    if (command === 'retrain') {
      const learned = await rebuildSpamFilter(db);
      console.log(`Retrained the spam filter from ${learned} decision(s).`);
    }
    const rules = await getModerationRules(db);
    const { totals, trained } = await loadSpamFilterStatus(db, rules.spamMinDecisions);
    console.log(`Learned from ${totals.hamDocs} approved and ${totals.spamDocs} spam comment(s); ${totals.vocabulary} distinct token(s).`);
    if (rules.spamThreshold === null) console.log('The threshold is off: scores are shown to moderators but never send a comment to spam.');
    else if (trained) console.log(`Active: new comments scoring ${rules.spamThreshold}% or more go to spam.`);
    else console.log(`Not acting yet: it needs ${rules.spamMinDecisions} approved and ${rules.spamMinDecisions} spam decisions first.`);
  } finally {
    await db.close();
  }
});
