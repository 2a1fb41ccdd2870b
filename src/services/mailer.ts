import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Db } from '../../db/client';
import { claimDueMail, markMailFailed, markMailSent } from '../../db/queries/mail';
import type { Config } from './config';
import { sendDueWebhooks } from './webhook-delivery';

/**
 * Delivers queued mail: through SMTP_URL when set, otherwise as one .eml file per message
 * in OUTBOX_DIR. Delivery runs after the comment is committed and never throws into a
 * request; failures stay queued and are retried with growing delays.
 */
export interface Mailer {
  /** Sends every due message; resolves when this run (and any it was asked to repeat) is done. */
  deliver(): Promise<void>;
  /** Retries due messages now and then every minute (queued mail from before a restart included). */
  startRetryLoop(): void;
  stop(): void;
}

export type MailSettings = Pick<Config, 'SMTP_URL' | 'OUTBOX_DIR' | 'SITE_URL'>;

type Transport = { send(message: SendMailOptions): Promise<void> };

/** How long a claimed message is left alone by other deliverers (another process, a second loop) while it is being sent. */
const CLAIM_MS = 5 * 60_000;

function createTransport({ SMTP_URL, OUTBOX_DIR }: MailSettings, now: () => Date): Transport {
  if (SMTP_URL) {
    const smtp = nodemailer.createTransport(SMTP_URL);
    return { send: async (message) => void (await smtp.sendMail(message)) };
  }
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await files.sendMail(message);
      mkdirSync(OUTBOX_DIR, { recursive: true });
      const name = `${now().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^\w.-]/g, '')}.eml`;
      writeFileSync(join(OUTBOX_DIR, name), info.message as Buffer);
    },
  };
}

/** The sender address: the site's own host. */
function fromAddress(siteUrl: string): string {
  const host = new URL(siteUrl).hostname;
  return `Afterword <afterword@${host.includes('.') ? host : `${host}.localdomain`}>`;
}

/** A mailer for one database; `now` is the clock for due times and retry delays. */
export function createMailer(db: Db, settings: MailSettings, now: () => Date = () => new Date()): Mailer {
  let transport: Transport | undefined;
  let busy = false;
  let again = false;
  let retryTimer: NodeJS.Timeout | undefined;

  async function sendDueMail(): Promise<void> {
    transport ??= createTransport(settings, now);
    const started = now();
    // Claimed, not just listed: another deliverer on the same database skips these meanwhile.
    for (const mail of await claimDueMail(db, started, new Date(started.getTime() + CLAIM_MS))) {
      try {
        await transport.send({
          from: fromAddress(settings.SITE_URL),
          to: mail.recipient,
          subject: mail.subject,
          text: mail.textBody,
          ...(mail.htmlBody ? { html: mail.htmlBody } : {}),
          ...(mail.headers ? { headers: JSON.parse(mail.headers) as Record<string, string> } : {}),
        });
        await markMailSent(db, mail.id, now());
      } catch (error) {
        const delayMinutes = Math.min(60, 2 ** mail.attempts);
        console.error(`mail ${mail.id} to ${mail.recipient} failed (retry in ${delayMinutes} min): ${(error as Error).message}`);
        await markMailFailed(db, mail.id, (error as Error).message, new Date(now().getTime() + delayMinutes * 60_000));
      }
    }
  }

  /**
   * Sends the outgoing queue: mail, then webhooks. A call while a run is busy asks that run to
   * look again when it is done, so messages queued meanwhile are not left waiting for the retry timer.
   */
  async function deliver(): Promise<void> {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        await sendDueMail();
        // Webhooks share this queue's loop, clock and retry timer.
        await sendDueWebhooks(db, now);
      } while (again);
    } catch (error) {
      console.error(`mail delivery failed: ${(error as Error).message}`);
    } finally {
      busy = false;
    }
  }

  return {
    deliver,
    startRetryLoop() {
      if (retryTimer) return;
      retryTimer = setInterval(() => void deliver(), 60_000).unref();
      void deliver();
    },
    stop() {
      clearInterval(retryTimer);
      retryTimer = undefined;
    },
  };
}
