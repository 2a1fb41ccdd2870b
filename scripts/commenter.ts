/**
 * `npm run commenter -- export <email>`: everything stored about a commenter, as JSON on stdout.
 * `npm run commenter -- erase <email>`: removes their personal data and text, keeping the thread
 * shape (their comments show as "comment removed"). Both match the email case-insensitively.
 */
import { eraseCommenter, exportCommenter } from '../src/services/commenters';
import { CliError, isPlausibleEmail, openConfiguredDb, runCli } from './cli';

const USAGE = 'Usage: npm run commenter -- export <email> | erase <email>';

await runCli(async () => {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'export' && command !== 'erase') {
    throw new CliError(`${command ? `Unknown command "${command}"` : 'Missing command'}. ${USAGE}`);
  }
  if (rest.length !== 1) throw new CliError(`${command} needs exactly one email address. ${USAGE}`);
  const email = rest[0].trim();
  if (!isPlausibleEmail(email)) throw new CliError(`"${email}" is not a valid email address.`);

  const db = await openConfiguredDb();
  try {
    if (command === 'export') {
      process.stdout.write(`${JSON.stringify(await exportCommenter(db, email, new Date()), null, 2)}\n`);
      return;
    }
    const { commentIds, mailsRemoved, subscriptionsRemoved } = await eraseCommenter(db, email, new Date());
    if (!commentIds.length && !subscriptionsRemoved) {
      console.log(`No comments stored under ${email}: nothing to erase.`);
      return;
    }
    const mails = mailsRemoved ? `; deleted ${plural(mailsRemoved, 'notification mail')} quoting or addressed to them` : '';
    const subscriptions = subscriptionsRemoved ? `; removed ${plural(subscriptionsRemoved, 'reply notification subscription')}` : '';
    console.log(
      `Erased ${plural(commentIds.length, 'comment')} by ${email} (id ${commentIds.join(', ')}): ` +
        `name, email, website and text removed, shown as "comment removed"${mails}${subscriptions}.`,
    );
  } finally {
    await db.close();
  }
});

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
