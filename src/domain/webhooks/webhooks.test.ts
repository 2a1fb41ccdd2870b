import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  MAX_WEBHOOK_URLS,
  buildWebhookPayload,
  parseWebhookUrls,
  retryDelayMinutes,
  signWebhookBody,
  verifyWebhookSignature,
  webhookBody,
  type WebhookComment,
} from './webhooks';

const comment = (over: Partial<WebhookComment> = {}): WebhookComment => ({
  id: 42,
  status: 'pending',
  parentId: null,
  authorName: 'Ann <b>',
  authorUrl: 'https://ann.example/',
  text: 'Did the failover\n\nwork?',
  createdAt: new Date('2026-11-30T10:00:00Z'),
  ...over,
});
const post = { slug: 'outage-report', title: 'Outage & recovery' };

describe('parseWebhookUrls', () => {
  test('takes one http(s) URL per line, ignoring blanks and duplicates', () => {
    assert.deepEqual(parseWebhookUrls('  https://hooks.example/a \n\nhttp://127.0.0.1:9000/x\nhttps://hooks.example/a\n'), {
      ok: true,
      urls: ['https://hooks.example/a', 'http://127.0.0.1:9000/x'],
    });
    assert.deepEqual(parseWebhookUrls(''), { ok: true, urls: [] });
  });

  test('refuses other schemes, credentials, junk and too many URLs, naming the bad entry', () => {
    for (const bad of ['ftp://hooks.example/', 'javascript:alert(1)', 'hooks.example/a', 'https://user:pw@hooks.example/', `https://h.example/${'a'.repeat(600)}`]) {
      const result = parseWebhookUrls(bad);
      assert.deepEqual(result, { ok: false, error: 'url', entry: bad }, bad);
    }
    const many = Array.from({ length: MAX_WEBHOOK_URLS + 1 }, (_, i) => `https://h.example/${i}`).join('\n');
    assert.deepEqual(parseWebhookUrls(many), { ok: false, error: 'tooMany' });
  });
});

describe('buildWebhookPayload', () => {
  test('describes the comment and its post with public and moderation links, never the email', () => {
    const payload = buildWebhookPayload('comment.pending', comment(), post, 'https://blog.example/');
    assert.equal(payload.event, 'comment.pending');
    assert.deepEqual(payload.post, { slug: 'outage-report', title: 'Outage & recovery', url: 'https://blog.example/posts/outage-report' });
    assert.equal(payload.comment.permalink, 'https://blog.example/comments/42');
    assert.equal(payload.comment.moderationUrl, 'https://blog.example/admin/comments/42');
    assert.equal(payload.comment.text, 'Did the failover\n\nwork?');
    assert.equal(payload.comment.createdAt, '2026-11-30T10:00:00.000Z');
    assert.ok(!JSON.stringify(payload).includes('@'), 'no email address anywhere');
  });

  test('has a one-line Slack-style text with markup escaped and the right link per event', () => {
    const pending = buildWebhookPayload('comment.pending', comment(), post, 'https://blog.example');
    assert.equal(pending.text, 'New comment awaiting moderation on “Outage &amp; recovery” by Ann &lt;b&gt;: Did the failover work? https://blog.example/admin/comments/42');
    const published = buildWebhookPayload('comment.published', comment({ status: 'approved', text: 'x'.repeat(1000) }), post, 'https://blog.example');
    assert.match(published.text, /^New comment published on .*x…\shttps:\/\/blog\.example\/comments\/42$/);
    assert.ok(published.text.length < 450);
  });
});

describe('signing', () => {
  const secret = 'whsec-test';
  const now = new Date('2026-11-30T12:00:00Z');

  test('signs the raw body with HMAC-SHA256, which carries the delivery id and timestamp', () => {
    const { body, timestamp } = webhookBody(buildWebhookPayload('comment.pending', comment(), post, 'https://blog.example'), 7, now);
    assert.equal(timestamp, 1_796_040_000);
    assert.deepEqual([JSON.parse(body).deliveryId, JSON.parse(body).timestamp], [7, timestamp]);
    assert.equal(signWebhookBody(secret, body), `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  });

  test('verifies a fresh, untouched body and refuses tampering, another secret and old timestamps', () => {
    const { body } = webhookBody(buildWebhookPayload('comment.pending', comment(), post, 'https://blog.example'), 7, now);
    const signature = signWebhookBody(secret, body);
    assert.equal(verifyWebhookSignature(secret, body, signature, now), true);
    assert.equal(verifyWebhookSignature(secret, body.replace('Ann', 'Bob'), signature, now), false);
    assert.equal(verifyWebhookSignature('other', body, signature, now), false);
    assert.equal(verifyWebhookSignature(secret, body, 'sha256=00', now), false);
    assert.equal(verifyWebhookSignature(secret, body, signature, new Date(now.getTime() + 10 * 60_000)), false);
  });
});

test('retries back off 1, 2, 4 … minutes up to an hour', () => {
  assert.deepEqual([0, 1, 2, 3, 6, 7, 20].map(retryDelayMinutes), [1, 2, 4, 8, 60, 60, 60]);
});
