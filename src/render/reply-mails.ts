import type { Translator } from '../i18n';
import { renderCommentBodyAsText } from './comment-body';
import { escapeHtml } from './comment-thread';

/**
 * The two mails of reply notifications, in the site's language: the confirmation link (double
 * opt-in) and the notice of an approved reply. Plain text plus a simple HTML part. Whatever a
 * reader typed is quoted between markers (text) or in a blockquote (HTML), after our own links,
 * so a reply cannot pass off its own "unsubscribe" or "confirm" line as ours. Pure.
 */

export interface ComposedMail {
  recipient: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  headers: Record<string, string> | null;
}

/** Subjects are one line: a title with a line break must not start a header of its own. */
const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();

const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;
const link = (href: string, text = href) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

function htmlDocument(lang: string, title: string, body: string[]): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body.join('\n')}</body></html>`;
}

/** The mail with the confirmation link; sent once when the box is ticked. */
export function confirmationMail(
  { t, locale }: Translator,
  to: { email: string; name: string },
  post: { title: string; url: string },
  confirmUrl: string,
): ComposedMail {
  const subject = oneLine(t('mail.confirm.subject', { title: post.title }));
  const textBody = [
    t('mail.greeting', { name: to.name }),
    '',
    t('mail.confirm.intro', { title: post.title }),
    '',
    t('mail.confirm.action'),
    confirmUrl,
    '',
    t('mail.confirm.expiry'),
    t('mail.confirm.ignore'),
    '',
    `${t('mail.post')} ${post.url}`,
  ].join('\n');
  const htmlBody = htmlDocument(locale, subject, [
    paragraph(t('mail.greeting', { name: to.name })),
    paragraph(t('mail.confirm.intro', { title: post.title })),
    `<p>${escapeHtml(t('mail.confirm.action'))}<br>${link(confirmUrl)}</p>`,
    paragraph(`${t('mail.confirm.expiry')} ${t('mail.confirm.ignore')}`),
    `<p>${escapeHtml(t('mail.post'))} ${link(post.url, post.title)}</p>`,
  ]);
  return { recipient: to.email, subject, textBody, htmlBody, headers: null };
}

/** The notice of one approved reply, with a one-click unsubscribe link and RFC 8058 headers. */
export function replyMail(
  { t, locale }: Translator,
  to: string,
  post: { title: string; url: string },
  reply: { authorName: string; fromSite: boolean; bodySource: string; url: string },
  unsubscribeUrl: string,
): ComposedMail {
  const subject = oneLine(t('mail.reply.subject', { title: post.title }));
  const who = reply.fromSite ? t('mail.reply.fromSite', { name: reply.authorName }) : reply.authorName;
  const text = renderCommentBodyAsText(reply.bodySource);
  const textBody = [
    t('mail.reply.intro', { name: who, title: post.title }),
    '',
    `${t('mail.reply.read')} ${reply.url}`,
    `${t('mail.reply.unsubscribe')} ${unsubscribeUrl}`,
    '',
    t('mail.reply.quoteStart'),
    text
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n'),
    t('mail.reply.quoteEnd'),
    '',
    t('mail.reply.why'),
  ].join('\n');
  const htmlBody = htmlDocument(locale, subject, [
    paragraph(t('mail.reply.intro', { name: who, title: post.title })),
    `<p>${link(reply.url, t('mail.reply.readLink'))}</p>`,
    `<p>${escapeHtml(t('mail.reply.quoteStart'))}</p>`,
    `<blockquote style="margin:0 0 0 .5em;padding-left:1em;border-left:3px solid #999;white-space:pre-wrap">${escapeHtml(text)}</blockquote>`,
    `<p>${escapeHtml(t('mail.reply.quoteEnd'))}</p>`,
    paragraph(t('mail.reply.why')),
    `<p>${link(unsubscribeUrl, t('mail.reply.unsubscribeLink'))}</p>`,
  ]);
  return {
    recipient: to,
    subject,
    textBody,
    htmlBody,
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      // RFC 8058: a POST of "List-Unsubscribe=One-Click" to that URL unsubscribes without a login.
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
