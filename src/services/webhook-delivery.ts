import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client';
import { claimWebhookDelivery, listDueWebhooks, markWebhookDelivered, markWebhookFailed } from '../../db/queries/webhooks';
import { readSetting } from '../../db/queries/settings';
import { retryDelayMinutes, signWebhookBody, webhookBody, type WebhookPayload } from '../domain/webhooks/webhooks';

/** The setting that holds the signing secret: created when the first URL is saved, regenerable on the rules page. */
export const WEBHOOK_SECRET_KEY = 'webhook-secret';

/** A new random signing secret (32 bytes, hex, with a prefix that says what it is). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}
/** A receiver that has not answered by then is treated as down (and retried later). */
const TIMEOUT_MS = 10_000;

/**
 * Sends every due webhook once: a signed POST per delivery, 2xx = delivered, anything else (an
 * error status, no answer, a redirect: never followed, so a hook cannot be bounced elsewhere) is
 * retried with the mail queue's backoff. Called by the outgoing queue's loop (src/services/mailer.ts)
 * after commits and every minute; `now` is read per attempt.
 */
export async function sendDueWebhooks(db: Db, now: () => Date = () => new Date()): Promise<void> {
  const due = await listDueWebhooks(db, now());
  if (!due.length) return;
  const secret = await readSetting(db, WEBHOOK_SECRET_KEY);
  for (const delivery of due) {
    // Held for longer than an attempt can take; a crash mid-attempt leaves it due again after that.
    const claimedAt = now();
    if (!(await claimWebhookDelivery(db, delivery.id, claimedAt, new Date(claimedAt.getTime() + 2 * TIMEOUT_MS)))) continue;
    let httpStatus: number | null = null;
    let error: string;
    try {
      if (!secret) throw new Error('no signing secret');
      const sentAt = now();
      const { body, timestamp } = webhookBody(JSON.parse(delivery.payload) as WebhookPayload, delivery.id, sentAt);
      const response = await fetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Afterword-Webhook/1',
          'X-Afterword-Event': delivery.event,
          'X-Afterword-Delivery': String(delivery.id),
          'X-Afterword-Timestamp': String(timestamp),
          'X-Afterword-Signature': signWebhookBody(secret, body),
        },
        body,
      });
      httpStatus = response.status;
      await response.body?.cancel();
      if (response.ok) {
        await markWebhookDelivered(db, delivery.id, response.status, now());
        continue;
      }
      error = `HTTP ${response.status}`;
    } catch (failure) {
      error = (failure as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : ((failure as Error).cause as Error | undefined)?.message ?? (failure as Error).message;
    }
    const minutes = retryDelayMinutes(delivery.attempts);
    console.error(`webhook ${delivery.id} to ${delivery.url} failed (retry in ${minutes} min): ${error}`);
    await markWebhookFailed(db, delivery.id, { httpStatus, error }, new Date(now().getTime() + minutes * 60_000));
  }
}
