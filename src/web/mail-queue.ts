import { app, appSecret, db } from './app';
import { getConfig } from '../services/config';
import { i18n } from './i18n';
import { listPosts } from './content/posts';
import { queueDueReplyNotifications } from '../services/reply-notifications';

/**
 * Runs the outgoing side after a write: queues the reply notifications that are now due (a
 * reply approved by any path: a moderator's button, a known author, a confirmed address) and
 * delivers due mail. Never throws into a request; a run asked for while one is busy runs again
 * when it ends, so nothing approved meanwhile waits for the next write.
 */
let running = false;
let again = false;

async function titleOf(slug: string): Promise<string | undefined> {
  return (await listPosts()).find((p) => p.slug === slug)?.title;
}

export function runMailQueue(): void {
  if (running) {
    again = true;
    return;
  }
  running = true;
  void (async () => {
    try {
      do {
        again = false;
        const { SITE_URL } = getConfig();
        await queueDueReplyNotifications(db(), { secret: appSecret(), origin: SITE_URL, translator: i18n(), titleOf, now: new Date() });
        await app().mailer.deliver();
      } while (again);
    } catch (error) {
      console.error(`could not queue reply notifications: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  })();
}
