import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTranslator } from '../i18n/index.ts';
import { confirmationMail, replyMail } from './reply-mails.ts';

const post = { title: 'Failover <drill>\r\nBcc: x@evil.example', url: 'https://blog.example/posts/failover' };

describe('reply notification mails', () => {
  test('written in the site language, subjects on one line, titles escaped in the HTML part', () => {
    const de = createTranslator('de');
    const mail = confirmationMail(de, { email: 'ada@example.com', name: 'Ada' }, post, 'https://blog.example/notifications/confirm?token=1.2.x');
    assert.equal(mail.subject, 'Bitte bestätigen Sie die Antwort-Benachrichtigungen für „Failover <drill> Bcc: x@evil.example“');
    assert.ok(mail.textBody.startsWith('Hallo Ada,'));
    assert.ok(mail.htmlBody.includes('lang="de"') && mail.htmlBody.includes('Failover &lt;drill&gt;') && !mail.htmlBody.includes('<drill>'));
    assert.equal(mail.headers, null, 'a confirmation is not a list mail');
  });

  test('a reply from the site is marked as such, and its text cannot become markup', () => {
    const en = createTranslator('en');
    const mail = replyMail(en, 'ada@example.com', post, { authorName: 'Mia', fromSite: true, bodySource: '<img src=x onerror=alert(1)>', url: 'https://blog.example/posts/failover#comment-9' }, 'https://blog.example/notifications/unsubscribe?token=1.0.x');
    assert.ok(mail.textBody.startsWith('Mia (staff) replied'));
    assert.ok(mail.htmlBody.includes('&lt;img src=x onerror=alert(1)&gt;') && !mail.htmlBody.includes('<img'));
    assert.deepEqual(mail.headers, { 'List-Unsubscribe': '<https://blog.example/notifications/unsubscribe?token=1.0.x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
  });
});

describe('reply notification mails, line by line', () => {
  const en = createTranslator('en');
  const plain = { title: 'The outage', url: 'https://blog.example/posts/outage' };

  test('the confirmation mail: greeting, why, the link, how long it works, how to ignore it, the post', () => {
    const mail = confirmationMail(en, { email: 'ada@example.com', name: 'Ada' }, plain, 'https://blog.example/notifications/confirm?token=t');
    assert.equal(mail.recipient, 'ada@example.com');
    assert.equal(mail.subject, 'Please confirm reply notifications for "The outage"');
    assert.equal(
      mail.textBody,
      [
        'Hello Ada,',
        '',
        'you asked to be told by email when someone replies to your comment on "The outage".',
        '',
        'To confirm, open this link and press the button on the page:',
        'https://blog.example/notifications/confirm?token=t',
        '',
        'The link works for 7 days.',
        'If you did not ask for this, ignore this email: nothing more will be sent to you.',
        '',
        'The post: https://blog.example/posts/outage',
      ].join('\n'),
    );
    assert.equal(
      mail.htmlBody,
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Please confirm reply notifications for &quot;The outage&quot;</title></head><body>' +
        [
          '<p>Hello Ada,</p>',
          '<p>you asked to be told by email when someone replies to your comment on &quot;The outage&quot;.</p>',
          '<p>To confirm, open this link and press the button on the page:<br><a href="https://blog.example/notifications/confirm?token=t">https://blog.example/notifications/confirm?token=t</a></p>',
          '<p>The link works for 7 days. If you did not ask for this, ignore this email: nothing more will be sent to you.</p>',
          '<p>The post: <a href="https://blog.example/posts/outage">The outage</a></p>',
        ].join('\n') +
        '</body></html>',
    );
  });

  test('the reply mail: who replied, the links first, every line of the reply quoted between markers, why it came', () => {
    const mail = replyMail(en, 'ada@example.com', plain, { authorName: 'Bo', fromSite: false, bodySource: 'First line\n\nSecond *line*', url: 'https://blog.example/comments/9' }, 'https://blog.example/u?token=u');
    assert.equal(mail.recipient, 'ada@example.com');
    assert.equal(mail.subject, 'New reply to your comment on "The outage"');
    assert.equal(
      mail.textBody,
      [
        'Bo replied to your comment on "The outage".',
        '',
        'Read it and answer: https://blog.example/comments/9',
        'Stop these emails (one click): https://blog.example/u?token=u',
        '',
        '----- The reply, as published (written by a reader, not by us) -----',
        '> First line',
        '> ',
        '> Second *line*',
        '----- End of the reply -----',
        '',
        'You get this email because you asked for reply notifications and confirmed your address.',
      ].join('\n'),
    );
    assert.equal(
      mail.htmlBody,
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>New reply to your comment on &quot;The outage&quot;</title></head><body>' +
        [
          '<p>Bo replied to your comment on &quot;The outage&quot;.</p>',
          '<p><a href="https://blog.example/comments/9">Read the reply and answer</a></p>',
          '<p>----- The reply, as published (written by a reader, not by us) -----</p>',
          '<blockquote style="margin:0 0 0 .5em;padding-left:1em;border-left:3px solid #999;white-space:pre-wrap">First line\n\nSecond *line*</blockquote>',
          '<p>----- End of the reply -----</p>',
          '<p>You get this email because you asked for reply notifications and confirmed your address.</p>',
          '<p><a href="https://blog.example/u?token=u">Unsubscribe from reply notifications</a></p>',
        ].join('\n') +
        '</body></html>',
    );
  });

  test('a title with line breaks makes a one-line subject, trimmed', () => {
    const mail = replyMail(en, 'ada@example.com', { title: '\nLine one\r\n\r\nLine two\n', url: plain.url }, { authorName: 'Bo', fromSite: false, bodySource: 'x', url: 'u' }, 'v');
    assert.equal(mail.subject, 'New reply to your comment on " Line one Line two "');
  });
});
