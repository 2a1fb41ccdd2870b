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
