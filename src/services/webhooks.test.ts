import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDb, addTestModerators } from '../../db/testing.ts';
import { insertComment, type NewCommentRow } from '../../db/queries/comments.ts';
import { listRecentWebhookDeliveries } from '../../db/queries/webhooks.ts';
import { verifyWebhookSignature } from '../domain/webhooks/webhooks.ts';
import type { PostSummary } from '../domain/posts/posts.ts';
import { submitComment } from './comments.ts';
import { getModerationRules, saveRulesFromForm } from './moderation-rules.ts';
import { moderateComments } from './moderation.ts';
import { sendDueWebhooks } from './webhook-delivery.ts';
import { createMailer } from './mailer.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWebhookDeliveries, queueCommentWebhooks, readWebhookSecret, regenerateWebhookSecret } from './webhooks.ts';
import { createFormToken } from './tokens.ts';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real local HTTP receiver answering each POST with the next status of `statuses` (then 200). */
async function receiver(statuses: number[] = []) {
  const requests: Received[] = [];
  const waiting: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200).end('ok');
      waiting.splice(0).forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  after(() => server.close());
  return {
    url,
    requests,
    /** Resolves once `count` requests have arrived (waits on the condition, not on time). */
    async received(count: number): Promise<Received[]> {
      while (requests.length < count) await new Promise<void>((wake) => waiting.push(wake));
      return requests;
    },
  };
}

const now = new Date('2026-11-30T12:00:00Z');
/** A queue that is never woken: each test sends explicitly (or through a real mailer), so nothing races. */
const idle = { deliver: async () => {} };
const mia = { id: 1, name: 'Mia', email: 'mia@example.com' };
const site = { origin: 'https://blog.example', postTitle: (slug: string) => (slug === 'outage' ? 'The outage' : undefined) };
const base = { autoApproveKnownAuthors: 'on', maxLinks: '2', holdWords: '', blockWords: '', closeAfterDays: '', maxDepth: '5' };
const row = (over: Partial<NewCommentRow> = {}): NewCommentRow => ({
  postSlug: 'outage', status: 'pending', authorName: 'Ann', authorEmail: 'ann@example.com', bodySource: 'Was the failover quick?', bodyHtml: '<p>Was the failover quick?</p>', createdAt: now, updatedAt: now, ...over,
});

async function setup(urls: string[] = []) {
  const db = await createTestDb();
  await addTestModerators(db, ['mia@example.com', 'Mia']);
  if (urls.length) assert.deepEqual(await saveRulesFromForm(db, mia, { ...base, webhookUrls: urls.join('\n') }, now), { ok: true });
  return db;
}

/** Waits until the background delivery run has recorded an attempt for every queued delivery. */
async function settled(db: Awaited<ReturnType<typeof setup>>): Promise<void> {
  while ((await listRecentWebhookDeliveries(db)).some((d) => d.attempts === 0)) await new Promise((r) => setImmediate(r));
}

describe('webhook settings', () => {
  test('URLs are saved from the rules form, and the first one gets a signing secret', async () => {
    const db = await setup();
    assert.equal(await readWebhookSecret(db), undefined);
    assert.deepEqual(await saveRulesFromForm(db, mia, { ...base, webhookUrls: 'https://hooks.example/a\n\nhttp://127.0.0.1:9/b' }, now), { ok: true });
    assert.deepEqual((await getModerationRules(db)).webhookUrls, ['https://hooks.example/a', 'http://127.0.0.1:9/b']);
    assert.match((await readWebhookSecret(db))!, /^whsec_[0-9a-f]{64}$/);
  });

  test('a bad or one-too-many URL is refused with the entry named, and nothing changes', async () => {
    const db = await setup(['https://hooks.example/a']);
    assert.deepEqual(await saveRulesFromForm(db, mia, { ...base, webhookUrls: 'https://ok.example/\nftp://files.example/' }, now), {
      ok: false,
      errors: { webhookUrls: { error: 'url', entry: 'ftp://files.example/' } },
    });
    assert.deepEqual(await saveRulesFromForm(db, mia, { ...base, webhookUrls: 'https://a.example/1\nhttps://a.example/2\nhttps://a.example/3\nhttps://a.example/4' }, now), {
      ok: false,
      errors: { webhookUrls: { error: 'tooMany' } },
    });
    assert.deepEqual((await getModerationRules(db)).webhookUrls, ['https://hooks.example/a']);
    // A form without the field (written before webhooks existed) leaves the URLs alone.
    await saveRulesFromForm(db, mia, base, now);
    assert.deepEqual((await getModerationRules(db)).webhookUrls, ['https://hooks.example/a']);
  });

  test('regenerating replaces the secret and is logged', async () => {
    const db = await setup(['https://hooks.example/a']);
    const old = await readWebhookSecret(db);
    await regenerateWebhookSecret(db, mia, now);
    assert.notEqual(await readWebhookSecret(db), old);
  });
});

describe('webhook delivery', () => {
  test('a new pending comment is POSTed as signed JSON to every URL, without the email', async () => {
    const first = await receiver();
    const second = await receiver();
    const db = await setup([first.url, second.url]);
    const secret = 's'.repeat(64);
    const post: PostSummary = { slug: 'outage', title: 'The outage', description: '', pubDate: new Date('2026-11-01'), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 1 };
    const outcome = (await submitComment(db, {
      post,
      fields: { name: 'Ann', email: 'ann@example.com', comment: 'Was the failover quick?', token: createFormToken(secret, 'outage', now) },
      clientAddress: '192.0.2.1',
      ownCommentIds: [],
      secret,
      now: new Date(now.getTime() + 60_000),
      settings: { COMMENT_FLOOD_SECONDS: 15, COMMENT_MIN_SECONDS: 3, SITE_URL: 'https://blog.example' },
      mailer: idle,
    })) as { kind: 'stored'; id: number };
    // The outgoing queue's run sends webhooks after the mail.
    await createMailer(db, { SMTP_URL: undefined, OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'afterword-hooks-')), SITE_URL: 'https://blog.example' }).deliver();
    const [request] = await first.received(1);
    await second.received(1);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['x-afterword-event'], 'comment.pending');
    assert.ok(verifyWebhookSignature((await readWebhookSecret(db))!, request.body, String(request.headers['x-afterword-signature']), new Date(Number(request.headers['x-afterword-timestamp']) * 1000)));
    const payload = JSON.parse(request.body);
    assert.equal(payload.event, 'comment.pending');
    assert.deepEqual(payload.post, { slug: 'outage', title: 'The outage', url: 'https://blog.example/posts/outage' });
    assert.deepEqual([payload.comment.id, payload.comment.status, payload.comment.authorName, payload.comment.text], [outcome.id, 'pending', 'Ann', 'Was the failover quick?']);
    assert.equal(payload.comment.permalink, `https://blog.example/comments/${outcome.id}`);
    assert.equal(String(payload.timestamp), request.headers['x-afterword-timestamp']);
    assert.equal(String(payload.deliveryId), request.headers['x-afterword-delivery']);
    assert.match(payload.text, /^New comment awaiting moderation on “The outage” by Ann: Was the failover quick\? https:\/\/blog\.example\/admin\/comments\/\d+$/);
    assert.ok(!request.body.includes('ann@example.com'));
    await settled(db);
    assert.deepEqual((await loadWebhookDeliveries(db)).map((d) => [d.state, d.lastStatus]), [['delivered', 200], ['delivered', 200]]);
  });

  test('approving publishes: comment.published for each comment that became public', async () => {
    const hook = await receiver();
    const db = await setup([hook.url]);
    const a = await insertComment(db, row());
    const b = await insertComment(db, row({ status: 'approved' }));
    const { published } = await moderateComments(db, mia, 'approve', [a, b], now);
    assert.deepEqual(published, [a]);
    assert.equal(await queueCommentWebhooks(db, idle, 'comment.published', published, site, now), 1);
    await sendDueWebhooks(db);
    const [request] = await hook.received(1);
    assert.equal(JSON.parse(request.body).event, 'comment.published');
    assert.equal(JSON.parse(request.body).comment.status, 'approved');
  });

  test('a failed delivery is retried with backoff until the receiver accepts it', async () => {
    const hook = await receiver([500]);
    const db = await setup([hook.url]);
    await queueCommentWebhooks(db, idle, 'comment.pending', [await insertComment(db, row())], site, now);
    await sendDueWebhooks(db);
    await hook.received(1);
    await settled(db);
    const [failed] = await loadWebhookDeliveries(db);
    assert.deepEqual([failed.state, failed.attempts, failed.lastStatus, failed.lastError], ['retrying', 1, 500, 'HTTP 500']);
    const due = failed.at;

    await sendDueWebhooks(db, () => new Date(due.getTime() - 1000));
    assert.equal(hook.requests.length, 1, 'not retried before its time');
    await sendDueWebhooks(db, () => due);
    assert.equal(hook.requests.length, 2);
    assert.deepEqual((await loadWebhookDeliveries(db)).map((d) => [d.state, d.attempts, d.lastStatus]), [['delivered', 2, 200]]);
    assert.notEqual(JSON.parse(hook.requests[1].body).timestamp, undefined);
  });

  test('a receiver that is down is recorded as such and retried later', async () => {
    const db = await setup(['http://127.0.0.1:9/unreachable']);
    await queueCommentWebhooks(db, idle, 'comment.pending', [await insertComment(db, row())], site, now);
    await sendDueWebhooks(db);
    await settled(db);
    const [failed] = await loadWebhookDeliveries(db);
    assert.equal(failed.state, 'retrying');
    assert.equal(failed.lastStatus, null);
    assert.ok(failed.lastError);
  });

  test('without URLs nothing is queued', async () => {
    const db = await setup();
    assert.equal(await queueCommentWebhooks(db, idle, 'comment.pending', [await insertComment(db, row())], site, now), 0);
    assert.deepEqual(await loadWebhookDeliveries(db), []);
  });
});
