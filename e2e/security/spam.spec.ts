import { expect, test } from '@playwright/test';
import { createHash, randomInt } from 'node:crypto';
import {
  commentForm,
  decodeHtml,
  fillCommentForm,
  formField,
  formValues,
  rememberCheckbox,
  submitCommentForm,
  t,
  unique,
} from '../fixtures/comments';
import { commentRow, commentsContaining, countRows, everyStoredText, serverSecret, sharedDatabase } from '../fixtures/db';
import { commentIdFrom, postForm, servedToken, signFormToken, urlencoded, validFields } from '../fixtures/http';
import { FAILOVER, numberPattern, OUTAGE } from '../fixtures/posts';
import { startServer, type RunningServer } from '../fixtures/server';

/** SPEC: one comment per 15 s per client address; a form sent back within 3 s is a bot. */
const FLOOD_SECONDS = 15;
const MIN_SECONDS = 3;

/**
 * SPEC "Abuse and bad input": a hidden honeypot field and a signed, timestamped form token;
 * filled honeypots and implausibly fast submissions are marked spam (kept for review, not
 * dropped). Flood control: one comment per 15 s per client address (429, clear message, form
 * values kept); duplicates refused with a message. TRUST_PROXY decides whether the client
 * address comes from X-Forwarded-For. The client address is never stored in clear.
 *
 * The spam server runs with the default timings (flood 15 s, minimum 3 s). Every stored comment
 * starts a client's 15 s flood window, so each case below comes from its own client address
 * (Linux routes all of 127.0.0.0/8 to loopback; the server listens on 127.0.0.1).
 */

let spamServer: RunningServer; // defaults: flood 15 s, min 3 s, no proxy
let proxyServer: RunningServer; // TRUST_PROXY=1, flood 15 s, min 0

test.beforeAll(async () => {
  [spamServer, proxyServer] = await Promise.all([
    startServer({ HOST: '127.0.0.1', COMMENT_FLOOD_SECONDS: String(FLOOD_SECONDS), COMMENT_MIN_SECONDS: String(MIN_SECONDS) }),
    startServer({ HOST: '127.0.0.1', TRUST_PROXY: '1', COMMENT_FLOOD_SECONDS: String(FLOOD_SECONDS), COMMENT_MIN_SECONDS: '0' }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([spamServer?.stop(), proxyServer?.stop()]);
});

/** A loopback address no other test of this run uses: a new "client". */
const usedAddresses = new Set<string>();
function newClient(): string {
  for (;;) {
    const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    if (!usedAddresses.has(address)) {
      usedAddresses.add(address);
      return address;
    }
  }
}

/** A public-looking address (each call a different one), as a proxy would put it in X-Forwarded-For. */
let forwardedCounter = randomInt(0, 256);
function newForwardedAddress(): string {
  forwardedCounter = (forwardedCounter + 1) % 256;
  return `198.51.${forwardedCounter}.${randomInt(1, 255)}`;
}

/** A genuine token as if the form had been served a minute ago (a reader who took their time). */
function agedToken(server: RunningServer, slug = OUTAGE): string {
  return signFormToken(serverSecret(server.databasePath), slug, Date.now() - 60_000);
}

const floodPattern = new RegExp(numberPattern(t['form.error.flood']));

test.describe('spam screening keeps suspicious comments for review', () => {
  test('a filled honeypot is stored as spam and the commenter is redirected as usual', async () => {
    const fields = { ...validFields(OUTAGE, agedToken(spamServer), 'Honeypot'), homepage: 'https://cheap-pills.example.com/' };
    const response = await postForm(spamServer.origin, OUTAGE, urlencoded(fields), { localAddress: newClient() });
    expect(response.status, 'the bot is not told it was caught').toBe(303);
    expect(String(response.headers.location)).toMatch(new RegExp(`^(${spamServer.origin})?/posts/${OUTAGE}#comment-\\d+$`));
    const row = commentRow(commentIdFrom(response)!, spamServer.databasePath);
    expect(row, 'kept for review, not dropped').toBeDefined();
    expect(row!.status).toBe('spam');
    expect(row!.decision_reason).toBe('honeypot');
    expect(row!.body_source).toBe(fields.comment);
  });

  const badTokens: { title: string; token: () => string | undefined }[] = [
    { title: 'without a form token', token: () => undefined },
    { title: 'with an empty form token', token: () => '' },
    { title: 'with a forged signature', token: () => `${Date.now() - 60_000}.${'A'.repeat(43)}` },
    { title: 'with a token that is not a token at all', token: () => 'definitely-not-a-token' },
    { title: 'with a genuine token of another post', token: () => agedToken(spamServer, FAILOVER) },
    { title: 'with a token signed with another secret', token: () => signFormToken('a'.repeat(64), OUTAGE, Date.now() - 60_000) },
    { title: 'with a genuine signature but a timestamp from the future', token: () => signFormToken(serverSecret(spamServer.databasePath), OUTAGE, Date.now() + 3_600_000) },
  ];
  for (const bad of badTokens) {
    test(`a comment ${bad.title} is stored as spam`, async () => {
      const { token: _, ...fields } = validFields(OUTAGE, '', 'Tokenless');
      const token = bad.token();
      const response = await postForm(spamServer.origin, OUTAGE, urlencoded(token === undefined ? fields : { ...fields, token }), { localAddress: newClient() });
      expect(response.status, `answered like any comment; body:\n${response.body.slice(0, 300)}`).toBe(303);
      const row = commentRow(commentIdFrom(response)!, spamServer.databasePath);
      expect(row?.status).toBe('spam');
      expect(row?.decision_reason).toBe('form-token');
    });
  }

  test(`a form sent back sooner than ${MIN_SECONDS} s after it was served is stored as spam`, async () => {
    const client = newClient();
    const { token, issuedAt } = await servedToken(spamServer.origin, OUTAGE, client);
    const fields = validFields(OUTAGE, token, 'Hasty');
    const response = await postForm(spamServer.origin, OUTAGE, urlencoded(fields), { localAddress: client });
    const elapsed = Date.now() - issuedAt;
    expect(elapsed, 'the test itself was fast enough to be "too fast"').toBeLessThan(MIN_SECONDS * 1000);
    expect(response.status).toBe(303);
    const row = commentRow(commentIdFrom(response)!, spamServer.databasePath);
    expect(row?.status).toBe('spam');
    expect(row?.decision_reason).toBe('too-fast');
  });
});

test.describe('form tokens of a busy page', () => {
  test('come signed ahead, each once; one is accepted, and the speed check counts from its stamp', async () => {
    // Readers arriving together: the front server hands out tokens signed ahead in batches,
    // stamped at most 250 ms after the moment they are served (see form-token-pool.ts).
    const served: { token: string; issuedAt: number; receivedAt: number }[] = [];
    for (let round = 0; round < 20 && !served.some((s) => s.issuedAt > s.receivedAt); round++) {
      served.push(...(await Promise.all(Array.from({ length: 10 }, async () => ({ ...(await servedToken(spamServer.origin, OUTAGE)), receivedAt: Date.now() })))));
    }
    const ahead = served.filter((s) => s.issuedAt > s.receivedAt);
    expect(ahead.length, 'some tokens say they were served after they arrived: signed ahead').toBeGreaterThan(0);
    expect(new Set(served.map((s) => s.token)).size, 'no token is handed out twice').toBe(served.length);
    for (const s of served) expect(s.issuedAt - s.receivedAt, 'stamped at most 250 ms ahead').toBeLessThanOrEqual(250);

    const [hasty, patient] = ahead;
    const tooFast = await postForm(spamServer.origin, OUTAGE, urlencoded(validFields(OUTAGE, hasty.token, 'HastyBatch')), { localAddress: newClient() });
    expect(tooFast.status).toBe(303);
    expect(commentRow(commentIdFrom(tooFast)!, spamServer.databasePath)?.decision_reason).toBe('too-fast');

    const token = patient ?? (await servedToken(spamServer.origin, OUTAGE));
    await expect.poll(() => Date.now(), { intervals: [100], timeout: 10_000 }).toBeGreaterThan(token.issuedAt + MIN_SECONDS * 1000 + 250);
    const accepted = await postForm(spamServer.origin, OUTAGE, urlencoded(validFields(OUTAGE, token.token, 'PatientBatch')), { localAddress: newClient() });
    const row = commentRow(commentIdFrom(accepted)!, spamServer.databasePath);
    expect(row?.status, 'a token from a batch is as good as any').toBe('pending');
    expect(row?.decision_reason).toBe('default');
  });
});

test.describe('flood control and duplicates', () => {
  test(`a reader who waited ${MIN_SECONDS} s is held for moderation; a second comment within ${FLOOD_SECONDS} s gets 429 and keeps every value`, async ({ browser }) => {
    // The browser is the one client of this server that connects from 127.0.0.1.
    const context = await browser.newContext({ baseURL: spamServer.origin, javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`/posts/${OUTAGE}`);
      const issuedAt = Number((await commentForm(page).locator('input[name="token"]').inputValue()).split('.')[0]);
      const first = { name: `Patient ${unique()}`, email: `patient.${unique()}@example.com`, comment: `Patient reader ${unique()}: thanks for the write-up.` };
      await fillCommentForm(page, first);
      // A human needs a few seconds to type; wait until the form is old enough (server clock = this machine's).
      await expect.poll(() => Date.now(), { intervals: [100], timeout: 10_000, message: `form older than ${MIN_SECONDS} s` }).toBeGreaterThan(issuedAt + MIN_SECONDS * 1000 + 250);
      const accepted = await submitCommentForm(page);
      expect(accepted.status()).toBe(200);
      await expect(page).toHaveURL(/#comment-\d+$/);
      const id = Number(/#comment-(\d+)$/.exec(page.url())![1]);
      await expect(page.locator(`#comment-${id}`)).toContainText(t['comments.awaitingBadge']);
      const row = commentRow(id, spamServer.databasePath);
      expect(row?.status, 'a patient human is held for moderation, not marked spam').toBe('pending');
      expect(row?.decision_reason).toBe('default');

      const second = {
        name: `Patient ${unique()} (again)`,
        email: `patient.again.${unique()}@example.com`,
        website: 'https://patient.example.org/blog',
        comment: `Second thought ${unique()}:\n\nline two — with “quotes” & <angle brackets>.`,
        remember: true,
      };
      await fillCommentForm(page, second);
      const refused = await submitCommentForm(page);
      expect(refused.status(), 'too many comments from one client').toBe(429);
      const notice = commentForm(page).getByRole('alert').filter({ hasText: floodPattern });
      await expect(notice).toBeVisible();
      const seconds = Number(/(\d+)/.exec(await notice.innerText())![1]);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(FLOOD_SECONDS);
      await expect(formField(page, 'Name')).toHaveValue(second.name);
      await expect(formField(page, 'Email')).toHaveValue(second.email);
      await expect(formField(page, 'Website')).toHaveValue(second.website);
      await expect(formField(page, 'Comment')).toHaveValue(second.comment);
      await expect(rememberCheckbox(page)).toBeChecked();
      expect(commentsContaining('Second thought', spamServer.databasePath), 'the refused comment was not stored').toHaveLength(0);
    } finally {
      await context.close();
    }
  });

  test('the same comment twice (same email, post and text) is refused with 409 and a message', async ({ baseURL }) => {
    // The shared server has no flood control, so only the duplicate rule can refuse this.
    const origin = String(baseURL);
    const fields = validFields(OUTAGE, (await servedToken(origin, OUTAGE)).token, 'Twice');
    const first = await postForm(origin, OUTAGE, urlencoded(fields));
    expect(first.status).toBe(303);

    const before = countRows('comments', sharedDatabase());
    const domain = fields.email.split('@')[1];
    for (const again of [
      fields,
      // The same commenter and text as the app compares them: the domain of an address is case-insensitive, text is trimmed.
      { ...fields, email: fields.email.replace(domain, domain.toUpperCase()), comment: `  ${fields.comment}\n` },
    ]) {
      const response = await postForm(origin, OUTAGE, urlencoded({ ...again, token: (await servedToken(origin, OUTAGE)).token }));
      expect(response.status).toBe(409);
      expect(decodeHtml(response.body)).toContain(t['form.error.duplicate']);
      const kept = formValues(response.body);
      expect(kept.comment.trim(), 'the text is kept').toBe(fields.comment);
      expect(kept.name).toBe(fields.name);
    }
    expect(countRows('comments', sharedDatabase()), 'nothing more was stored').toBe(before);
    expect(commentsContaining(fields.comment, sharedDatabase())).toHaveLength(1);
  });

  test('with TRUST_PROXY=1 the client address comes from X-Forwarded-For', async () => {
    const socket = newClient(); // one proxy connects for everyone
    const [a, b] = [newForwardedAddress(), newForwardedAddress()];
    const send = (xff: string, label: string) =>
      postForm(proxyServer.origin, OUTAGE, urlencoded(validFields(OUTAGE, agedToken(proxyServer), label)), { localAddress: socket, headers: { 'x-forwarded-for': xff } });

    expect((await send(a, 'ProxiedA')).status, 'first reader behind the proxy').toBe(303);
    expect((await send(b, 'ProxiedB')).status, 'another reader behind the same proxy is not throttled').toBe(303);
    const again = await send(a, 'ProxiedA');
    expect(again.status, 'the first reader again, within 15 s').toBe(429);
    expect(decodeHtml(again.body)).toMatch(floodPattern);
    // A proxy appends the address it saw; what the client claimed before it must not help it.
    const spoofed = await send(`10.9.8.7, ${a}`, 'ProxiedA');
    expect(spoofed.status, 'a client-supplied X-Forwarded-For entry in front of the proxy’s does not escape the limit').toBe(429);
  });

  test('without TRUST_PROXY, X-Forwarded-For is ignored: one socket address is one client', async () => {
    const socket = newClient();
    const send = (xff: string, label: string) =>
      postForm(spamServer.origin, OUTAGE, urlencoded(validFields(OUTAGE, agedToken(spamServer), label)), { localAddress: socket, headers: { 'x-forwarded-for': xff } });

    expect((await send(newForwardedAddress(), 'Direct')).status).toBe(303);
    const second = await send(newForwardedAddress(), 'Direct');
    expect(second.status, 'a forged X-Forwarded-For must not escape flood control when no proxy is trusted').toBe(429);
    expect(decodeHtml(second.body)).toMatch(floodPattern);
  });
});

test('the database never holds a client address in clear, only a keyed 64-hex hash', async () => {
  const direct = newClient();
  const forwarded = newForwardedAddress();
  const proxied = [newForwardedAddress(), newForwardedAddress()];
  const ids: { server: RunningServer; id: number; address: string }[] = [];

  const viaSpam = await postForm(spamServer.origin, OUTAGE, urlencoded(validFields(OUTAGE, agedToken(spamServer), 'Private')), { localAddress: direct, headers: { 'x-forwarded-for': forwarded } });
  expect(viaSpam.status).toBe(303);
  ids.push({ server: spamServer, id: commentIdFrom(viaSpam)!, address: direct });
  for (const address of proxied) {
    const response = await postForm(proxyServer.origin, OUTAGE, urlencoded(validFields(OUTAGE, agedToken(proxyServer), 'Private')), { localAddress: direct, headers: { 'x-forwarded-for': address } });
    expect(response.status).toBe(303);
    ids.push({ server: proxyServer, id: commentIdFrom(response)!, address });
  }
  // The same socket address on the other server, seen directly (no X-Forwarded-For): keyed with another secret.
  const sameAddress = await postForm(proxyServer.origin, OUTAGE, urlencoded(validFields(OUTAGE, agedToken(proxyServer), 'Private')), { localAddress: direct });
  expect(sameAddress.status).toBe(303);
  ids.push({ server: proxyServer, id: commentIdFrom(sameAddress)!, address: direct });

  const addresses = ['127.0.0.1', '::1', '::ffff:127.', direct, forwarded, ...proxied];
  for (const server of [spamServer, proxyServer]) {
    const stored = everyStoredText(server.databasePath);
    for (const address of addresses) {
      expect(stored.filter((value) => value.includes(address)), `no column of ${server.databasePath} contains ${address}`).toEqual([]);
    }
  }

  const unkeyed = (address: string) => ['md5', 'sha1', 'sha256', 'sha512'].flatMap((alg) => [address, `::ffff:${address}`].map((form) => createHash(alg).update(form).digest('hex')));
  const hashes = ids.map(({ server, id, address }) => {
    const hash = commentRow(id, server.databasePath)?.client_hash ?? '';
    expect(hash, `comment ${id}: client_hash is 64 hex digits`).toMatch(/^[0-9a-f]{64}$/);
    expect(unkeyed(address), `comment ${id}: client_hash is not a plain (reversible) hash of ${address}`).not.toContain(hash);
    return hash;
  });
  expect(new Set(hashes).size, 'different clients, and one client on two servers with different secrets, hash differently').toBe(hashes.length);
});

test('an expired form shows the form again with a message, keeps the text and stores nothing', async () => {
  const expired = signFormToken(serverSecret(spamServer.databasePath), OUTAGE, Date.now() - 25 * 60 * 60 * 1000);
  const fields = { ...validFields(OUTAGE, expired, 'Late'), website: 'https://late.example.net/' };
  const before = countRows('comments', spamServer.databasePath);
  const response = await postForm(spamServer.origin, OUTAGE, urlencoded(fields), { localAddress: newClient() });
  expect(response.status, 'a 4xx, not a redirect').toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(decodeHtml(response.body)).toContain(t['form.error.expired']);
  expect(formValues(response.body)).toEqual({ name: fields.name, email: fields.email, website: fields.website, comment: fields.comment });
  const fresh = /name="token" value="([^"]+)"/.exec(response.body)?.[1];
  expect(fresh, 'the form comes back with a new token').toBeTruthy();
  expect(fresh).not.toBe(expired);
  expect(countRows('comments', spamServer.databasePath), 'nothing stored').toBe(before);
});

test('a reader flagged as too fast still sees their comment "awaiting moderation"; nobody else sees it', async ({ browser }) => {
  // Its own server: the shared spam server's one browser client is flood-limited by the test above.
  const server = await startServer({ COMMENT_FLOOD_SECONDS: '0', COMMENT_MIN_SECONDS: String(MIN_SECONDS) });
  const author = await browser.newContext({ baseURL: server.origin, javaScriptEnabled: false });
  const other = await browser.newContext({ baseURL: server.origin, javaScriptEnabled: false });
  try {
    const page = await author.newPage();
    await page.goto(`/posts/${OUTAGE}`);
    const text = `Quick typist ${unique()}`;
    await fillCommentForm(page, { name: `Quick ${unique()}`, email: `quick.${unique()}@example.com`, comment: text });
    await submitCommentForm(page);
    await expect(page).toHaveURL(/#comment-\d+$/);
    const id = Number(/#comment-(\d+)$/.exec(page.url())![1]);
    expect(commentRow(id, server.databasePath)?.status, 'kept for review as spam').toBe('spam');
    await expect(page.locator(`#comment-${id}`)).toContainText(t['comments.awaitingBadge']);
    await expect(page.locator(`#comment-${id}`)).toContainText(text);

    const stranger = await other.newPage();
    await stranger.goto(`/posts/${OUTAGE}`);
    await expect(stranger.locator(`#comment-${id}`)).toHaveCount(0);
    await expect(stranger.getByText(text)).toHaveCount(0);
  } finally {
    await Promise.all([author.close(), other.close()]);
    await server.stop();
  }
});
