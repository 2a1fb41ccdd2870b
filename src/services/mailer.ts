import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Db } from '../../db/client';
import { listDueMail, markMailFailed, markMailSent } from '../../db/queries/mail';
import { getConfig } from './config';

/**
 * Delivers queued mail: through SMTP_URL when set, otherwise as one .eml file per message
 * in OUTBOX_DIR. Delivery runs after the comment is committed and never throws into a
 * request; failures stay queued and are retried with growing delays.
 */

type Transport = { send(message: SendMailOptions): Promise<void> };

let transport: Transport | undefined;

function createTransport(): Transport {
  const { SMTP_URL, OUTBOX_DIR } = getConfig();
  if (SMTP_URL) {
    const smtp = nodemailer.createTransport(SMTP_URL);
    return { send: async (message) => void (await smtp.sendMail(message)) };
  }
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await files.sendMail(message);
      mkdirSync(OUTBOX_DIR, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^\w.-]/g, '')}.eml`;
      writeFileSync(join(OUTBOX_DIR, name), info.message as Buffer);
    },
  };
}

/** The sender address: the site's own host. */
function fromAddress(): string {
  const host = new URL(getConfig().SITE_URL).hostname;
  return `Afterword <afterword@${host.includes('.') ? host : `${host}.localdomain`}>`;
}

let busy = false;
let again = false;
let retryTimer: NodeJS.Timeout | undefined;

/**
 * Sends every due message. A call while a run is busy asks that run to look again when it is
 * done, so mail queued meanwhile is not left waiting for the retry timer. Also keeps retrying
 * failed messages every minute.
 */
export async function deliverDueMail(db: Db): Promise<void> {
  retryTimer ??= setInterval(() => void deliverDueMail(db), 60_000).unref();
  if (busy) {
    again = true;
    return;
  }
  busy = true;
  try {
    do {
      again = false;
      await sendDueMail(db);
    } while (again);
  } catch (error) {
    console.error(`mail delivery failed: ${(error as Error).message}`);
  } finally {
    busy = false;
  }
}

async function sendDueMail(db: Db): Promise<void> {
  transport ??= createTransport();
  for (const mail of listDueMail(db, new Date())) {
    try {
      await transport.send({ from: fromAddress(), to: mail.recipient, subject: mail.subject, text: mail.textBody });
      markMailSent(db, mail.id, new Date());
    } catch (error) {
      const delayMinutes = Math.min(60, 2 ** mail.attempts);
      console.error(`mail ${mail.id} to ${mail.recipient} failed (retry in ${delayMinutes} min): ${(error as Error).message}`);
      markMailFailed(db, mail.id, (error as Error).message, new Date(Date.now() + delayMinutes * 60_000));
    }
  }
}
