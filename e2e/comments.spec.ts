import { expect, test, type Page } from '@playwright/test';
import {
  anotherReader,
  approveComment,
  commentCountText,
  commentElement,
  commenter,
  type CommentFields,
  commentForm,
  emailLeaks,
  formField,
  listedPostCount,
  postComment,
  postHeaderCount,
  readPostCommentCount,
  relTokens,
  rememberCheckbox,
  submitButton,
  submitComment,
  submitCommentForm,
  t,
  unique,
} from './fixtures/comments';
import { commentsContaining } from './fixtures/db';
import { escapeRegExp, FAILOVER, fill, indexPageOf, indexPath, OUTAGE, post } from './fixtures/posts';

/**
 * Comments as a commenter and a reader see them (SPEC "Comments, as a commenter sees them"):
 * the form, validation that never loses what was typed, moderation visibility, threading,
 * "remember me", privacy of the email address and the refusals (closed post, cross-site).
 * Everything a reader can do is checked with JavaScript disabled and enabled.
 */

const GUIDE = 'markdown-field-guide';
const IPV6 = 'our-move-to-ipv6';
const SMS = 'rate-limiting-sms';
const QOS = 'qos-for-voip-on-office-networks';
const CLOSED = 'comments-are-closed-archive-note';

/** Astro's endpoint for the comment action (what a script would post to instead of the page). */
const ACTION_ENDPOINT = '/_actions/comments.submit';

/** Threads nest to this depth by default (SPEC: "configurable depth (default 5)"). */
const MAX_DEPTH = 5;

const REL = ['nofollow', 'noopener', 'ugc'];

/** A comment body of exactly `length` code points (multi-line, with umlauts and emoji), starting with `marker`. */
function commentOfLength(length: number, marker: string): string {
  const unit = 'Gr\u00fc\u00dfe \u{1F389} line\n';
  const head = `${marker}\n`;
  const needed = length - Array.from(head).length;
  const filler = Array.from(unit.repeat(Math.ceil(needed / Array.from(unit).length) + 1)).slice(0, needed - 1);
  const text = head + filler.join('') + 'Z'; // ends with a letter: trimming must not shorten it
  expect(Array.from(text)).toHaveLength(length);
  return text;
}

/** A long, multi-line comment full of things that are easy to lose or mangle on the way back. */
function awkwardComment(marker: string): string {
  return [
    `Gr\u00fc\u00dfe aus K\u00f6ln \u{1F44B}\u{1F3FD} \u2014 \u201cquotes\u201d & <angle brackets> ${marker}`,
    '',
    'Line two: \u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8, \u05e2\u05d1\u05e8\u05d9\u05ea, \u{1F9EA}\u{1F525} and a family \u{1F468}\u200D\u{1F469}\u200D\u{1F467}',
    '    indented line with trailing spaces   ',
    '</textarea><p>not markup</p> &amp; &lt;kept&gt;',
    'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(40).trim(),
    'last line',
  ].join('\n');
}

/** The aria-describedby of a field points at a visible element, next to the field, that says `message`. */
async function expectFieldError(page: Page, label: 'Name' | 'Email' | 'Website' | 'Comment', message: string) {
  const input = formField(page, label);
  await expect(input, `${label} is marked invalid`).toHaveAttribute('aria-invalid', 'true');
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  expect(ids.length, `${label} has aria-describedby`).toBeGreaterThan(0);
  const described = page.locator(ids.map((id) => `[id="${id}"]`).join(', '));
  await expect(described.filter({ hasText: message }), `${label}'s description is the error`).toBeVisible();
  await expect(input).toHaveAccessibleDescription(new RegExp(escapeRegExp(message)));
  // "next to its field": in the same field container as the input.
  await expect(input.locator('xpath=..').getByText(message, { exact: true })).toBeVisible();
}

async function expectNoFieldError(page: Page, label: 'Name' | 'Email' | 'Website' | 'Comment') {
  await expect(formField(page, label), `${label} is not marked invalid`).not.toHaveAttribute('aria-invalid', 'true');
}

/** Everything the user typed is still in the form. */
async function expectValuesKept(page: Page, values: CommentFields) {
  await expect(formField(page, 'Name')).toHaveValue(values.name ?? '');
  await expect(formField(page, 'Email')).toHaveValue(values.email ?? '');
  await expect(formField(page, 'Website')).toHaveValue(values.website ?? '');
  await expect(formField(page, 'Comment')).toHaveValue(values.comment ?? '');
  await expect(rememberCheckbox(page)).toBeChecked({ checked: values.remember ?? false });
}

/** The form is the plain "Leave a comment" one: not a reply form. */
async function expectPlainForm(page: Page) {
  await expect(commentForm(page).getByRole('heading', { name: t['form.title'], exact: true })).toBeVisible();
  await expect(commentForm(page).getByText(/^Reply to /)).toHaveCount(0);
  await expect(page.getByRole('link', { name: t['form.cancelReply'] })).toHaveCount(0);
}

/** The form action URL of a post (what the browser posts to), without its fragment. */
async function actionUrl(page: Page, slug: string): Promise<string> {
  await page.goto(`/posts/${slug}`);
  const action = await commentForm(page).getAttribute('action');
  expect(action).toBeTruthy();
  return action!.replace(/#.*$/, '');
}

/** The Reply link of comment `id` itself (the first in its element: its replies' links come after). */
function replyLink(page: Page, id: number) {
  return commentElement(page, id).getByRole('link', { name: t['comments.reply'], exact: true }).first();
}

/** Posts a comment in `page` and approves it; returns its id. */
async function publishedComment(page: Page, slug: string, fields: CommentFields): Promise<number> {
  await page.goto(`/posts/${slug}`);
  const id = await postComment(page, fields);
  await approveComment(id);
  return id;
}

for (const js of [false, true]) {
  test.describe(`commenting with JavaScript ${js ? 'enabled' : 'disabled'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('the form has labelled fields, the privacy and required-fields note, an unchecked remember box and a submit button', async ({ page }) => {
      await page.goto(`/posts/${OUTAGE}`);
      const form = commentForm(page);
      await expect(form).toBeVisible();
      await expect(form).toHaveAttribute('method', /^post$/i);
      for (const label of ['Name', 'Email', 'Website', 'Comment'] as const) {
        await expect(formField(page, label), `a field labelled ${label}`).toBeVisible();
        await expect(formField(page, label)).toBeEditable();
        await expect(formField(page, label)).toHaveValue('');
      }
      await expect(formField(page, 'Comment')).toHaveJSProperty('tagName', 'TEXTAREA');
      // Which fields are required: a note, and a * on exactly the required fields' labels.
      await expect(form.getByText(t['form.emailNote'])).toBeVisible();
      await expect(form.getByText(t['form.requiredNote'])).toBeVisible();
      for (const [label, required] of [['Name', true], ['Email', true], ['Website', false], ['Comment', true]] as const) {
        // The label text is exactly the field name; the * sits beside it (hidden from screen readers).
        const labelElement = form.locator('label', { hasText: new RegExp(`^\\s*${label}\\s*$`) });
        await expect(labelElement).toHaveCount(1);
        const field = form.locator('.field', { has: page.locator('label', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) });
        if (required) await expect(field.locator('.required-mark')).toHaveText('*');
        else await expect(field.locator('.required-mark')).toHaveCount(0);
      }
      await expect(rememberCheckbox(page)).toBeVisible();
      await expect(rememberCheckbox(page)).not.toBeChecked();
      await expect(submitButton(page)).toBeVisible();
      await expect(submitButton(page)).toBeEnabled();
    });

    test('an empty submission answers 400 with an error next to Name, Email and Comment', async ({ page }) => {
      await page.goto(`/posts/${OUTAGE}`);
      const response = await submitCommentForm(page);
      expect(response.request().method()).toBe('POST');
      expect(response.status()).toBe(400);
      await expectFieldError(page, 'Name', t['form.error.name.required']);
      await expectFieldError(page, 'Email', t['form.error.email.required']);
      await expectFieldError(page, 'Comment', t['form.error.body.required']);
      await expectNoFieldError(page, 'Website');
      await expect(page.getByRole('alert').filter({ hasText: t['form.errorSummary'] })).toBeVisible();
      await expectValuesKept(page, {});
    });

    test('a missing name keeps a long multi-line Unicode comment and every other value exactly as typed', async ({ page }) => {
      const marker = unique('keep-');
      const values: CommentFields = {
        name: '',
        email: `${marker}@example.com`,
        website: 'https://example.org/\u00fcber/caf\u00e9?q=1&r=\u{1F600}',
        comment: awkwardComment(marker),
        remember: true,
      };
      await page.goto(`/posts/${OUTAGE}`);
      const response = await submitComment(page, values);
      expect(response.status()).toBe(400);
      await expectFieldError(page, 'Name', t['form.error.name.required']);
      await expectNoFieldError(page, 'Email');
      await expectNoFieldError(page, 'Website');
      await expectNoFieldError(page, 'Comment');
      await expectValuesKept(page, values);
      expect(commentsContaining(marker)).toEqual([]);

      // Fixing the one error and submitting again publishes the text as typed (nothing lost on the way).
      const id = await postComment(page, { name: `Keeper ${marker}` });
      await expect(commentElement(page, id)).toContainText(`\u201cquotes\u201d & <angle brackets> ${marker}`);
      await expect(commentElement(page, id)).toContainText('</textarea><p>not markup</p> &amp; &lt;kept&gt;');
      await expect(commentElement(page, id)).toContainText('\u{1F468}\u200D\u{1F469}\u200D\u{1F467}');
    });

    const invalidCases: { what: string; field: 'Email' | 'Website' | 'Comment'; value: (marker: string) => Partial<CommentFields>; message: string }[] = [
      { what: 'a malformed email', field: 'Email', value: () => ({ email: 'someone@@example' }), message: t['form.error.email.invalid'] },
      { what: 'a javascript: website', field: 'Website', value: () => ({ website: 'javascript:alert(1)' }), message: t['form.error.website.invalid'] },
      { what: 'a whitespace-only comment', field: 'Comment', value: () => ({ comment: '   \n\t  \n   ' }), message: t['form.error.body.required'] },
      {
        what: 'a 10,001-character comment',
        field: 'Comment',
        value: (marker) => ({ comment: commentOfLength(10_001, marker) }),
        message: t['form.error.body.tooLong'],
      },
    ];
    for (const { what, field, value, message } of invalidCases) {
      test(`${what} answers 400 with "${message}" next to ${field} and keeps every value`, async ({ page }) => {
        const marker = unique('bad-');
        const who = commenter('Validator');
        const values: CommentFields = {
          name: `  ${who.name} \u{1F98A}  `,
          email: who.email,
          website: `https://example.net/${marker}`,
          comment: `Valid text ${marker}\nsecond line \u00e4\u00f6\u00fc`,
          remember: true,
          ...value(marker),
        };
        await page.goto(`/posts/${OUTAGE}`);
        const response = await submitComment(page, values);
        expect(response.request().method()).toBe('POST');
        expect(response.status()).toBe(400);
        await expectFieldError(page, field, message);
        for (const other of (['Name', 'Email', 'Website', 'Comment'] as const).filter((f) => f !== field)) await expectNoFieldError(page, other);
        await expectValuesKept(page, values);
        expect(commentsContaining(marker)).toEqual([]);
      });
    }

    test('a comment of exactly 10,000 characters (emoji count as one) is accepted', async ({ page }) => {
      const marker = unique('max-');
      await page.goto(`/posts/${OUTAGE}`);
      const id = await postComment(page, { ...commenter('Longform'), comment: commentOfLength(10_000, marker) });
      await expect(commentElement(page, id)).toContainText(marker);
      expect(commentsContaining(marker).map((c) => c.id)).toEqual([id]);
    });

    test('a valid comment lands on the post at #comment-<id>, awaiting moderation for its author only; the count changes on approval', async ({
      page,
      browser,
      baseURL,
    }) => {
      const { title } = post(OUTAGE);
      const before = await readPostCommentCount(page, OUTAGE);
      const who = commenter('Newcomer');
      const text = `First time here ${unique()}, thanks for the honest write-up.`;
      const id = await postComment(page, { ...who, comment: text }); // checks POST → 303 → GET #comment-<id>
      const mine = commentElement(page, id);
      await expect(mine).toBeVisible();
      await expect(mine).toContainText(who.name);
      await expect(mine).toContainText(text);
      await expect(mine.getByText(t['comments.awaitingBadge'], { exact: true })).toBeVisible();
      await expect(mine.getByRole('link', { name: t['comments.reply'], exact: true })).toHaveCount(0);
      await expect(postHeaderCount(page)).toHaveText(commentCountText(before));

      const other = await anotherReader(browser, baseURL!, js);
      try {
        await other.page.goto(`/posts/${OUTAGE}`);
        await expect(postHeaderCount(other.page)).toHaveText(commentCountText(before));
        await expect(commentElement(other.page, id)).toHaveCount(0);
        await expect(other.page.getByText(text)).toHaveCount(0);
        await expect(other.page.getByText(who.name)).toHaveCount(0);
        await other.page.goto(indexPath(indexPageOf(OUTAGE)));
        await expect(listedPostCount(other.page, title)).toHaveText(commentCountText(before));

        await approveComment(id);

        await other.page.goto(`/posts/${OUTAGE}`);
        await expect(commentElement(other.page, id)).toContainText(text);
        await expect(postHeaderCount(other.page)).toHaveText(commentCountText(before + 1));
        // The section heading is the count itself ("5 comments"), said once.
        await expect(other.page.locator('#comments').getByRole('heading', { level: 2 }).first()).toHaveText(commentCountText(before + 1));
        await other.page.goto(indexPath(indexPageOf(OUTAGE)));
        await expect(listedPostCount(other.page, title)).toHaveText(commentCountText(before + 1));
      } finally {
        await other.context.close();
      }
      // Its author now sees it as published, no longer awaiting moderation.
      await page.goto(`/posts/${OUTAGE}`);
      await expect(commentElement(page, id).getByText(t['comments.awaitingBadge'])).toHaveCount(0);
    });

    test('an approved comment shows its author (linked to the website), time, rendered body, permalink and Reply to every reader', async ({
      page,
      browser,
      baseURL,
    }) => {
      const who = commenter('Linker');
      const website = `https://example.net/people/${unique()}`;
      const runbook = `https://example.org/runbook/${unique()}`;
      const bare = `https://example.com/bare/${unique()}`;
      const marker = unique('render-');
      const body = `A **bold claim** and [the runbook](${runbook}) ${marker}.\nSee ${bare} for the details.`;
      const id = await publishedComment(page, IPV6, { ...who, website, comment: body });

      const other = await anotherReader(browser, baseURL!, js);
      try {
        const reader = other.page;
        const postedAt = Date.now();
        await reader.goto(`/posts/${IPV6}`);
        const comment = commentElement(reader, id);
        await expect(comment).toBeVisible();
        await expect(comment.getByText(t['comments.awaitingBadge'])).toHaveCount(0);

        const author = comment.getByRole('link', { name: who.name, exact: true });
        await expect(author).toHaveAttribute('href', website);
        expect(await relTokens(author)).toEqual(expect.arrayContaining(REL));

        const time = comment.locator('time[datetime]');
        await expect(time).toHaveCount(1);
        await expect(time).not.toBeEmpty();
        const datetime = Date.parse((await time.getAttribute('datetime'))!);
        expect(Math.abs(datetime - postedAt)).toBeLessThan(5 * 60_000);

        await expect(comment.locator('strong')).toHaveText('bold claim');
        await expect(comment).toContainText(marker);
        const runbookLink = comment.getByRole('link', { name: 'the runbook', exact: true });
        await expect(runbookLink).toHaveAttribute('href', runbook);
        expect(await relTokens(runbookLink)).toEqual(expect.arrayContaining(REL));
        const bareLink = comment.getByRole('link', { name: bare, exact: true });
        await expect(bareLink).toHaveAttribute('href', bare);
        expect(await relTokens(bareLink)).toEqual(expect.arrayContaining(REL));
        await expect(comment.locator('br'), 'the line break is kept').toHaveCount(1);
        await expect(comment).not.toContainText('**');

        const permalink = comment.getByRole('link').filter({ has: reader.locator('time') });
        await expect(permalink).toHaveAttribute('href', new RegExp(`^(${escapeRegExp(baseURL!)})?/posts/${IPV6}#comment-${id}$`));
        await expect(comment.getByRole('link', { name: t['comments.reply'], exact: true })).toBeVisible();
        await expect(comment).not.toContainText(who.email);
      } finally {
        await other.context.close();
      }
    });

    test('Reply opens a reply form naming the author, the reply nests inside its parent, and Cancel reply returns to the plain form', async ({
      page,
      browser,
      baseURL,
    }) => {
      const parentAuthor = commenter('Asker');
      const parentId = await publishedComment(page, FAILOVER, { ...parentAuthor, comment: `How often do you test this? ${unique()}` });

      await page.goto(`/posts/${FAILOVER}`);
      await replyLink(page, parentId).click();
      if (!js) await expect(page).toHaveURL(new RegExp(`/posts/${FAILOVER}\\?replyto=${parentId}#respond$`));
      const replyHeading = commentForm(page).getByRole('heading', { name: fill(t['form.replyTitle'], { name: parentAuthor.name }), exact: true });
      await expect(replyHeading).toBeVisible();
      await expect(commentForm(page).getByRole('link', { name: t['form.cancelReply'] })).toBeVisible();

      const replyText = `Every quarter, on a Tuesday. ${unique()}`;
      const replyId = await postComment(page, { ...commenter('Answerer'), comment: replyText });
      // Its author sees the pending reply in place.
      await expect(page.locator(`#comment-${parentId} #comment-${replyId}`)).toContainText(t['comments.awaitingBadge']);
      await approveComment(replyId);

      const other = await anotherReader(browser, baseURL!, js);
      try {
        await other.page.goto(`/posts/${FAILOVER}`);
        await expect(other.page.locator(`#comment-${parentId} #comment-${replyId}`)).toContainText(replyText);
      } finally {
        await other.context.close();
      }

      // Cancel reply: back to the plain form, and what is posted then is a top-level comment.
      await page.goto(`/posts/${FAILOVER}`);
      await replyLink(page, parentId).click();
      await expect(replyHeading).toBeVisible();
      await page.getByRole('link', { name: t['form.cancelReply'] }).click();
      if (!js) await expect(page).toHaveURL(new RegExp(`/posts/${FAILOVER}#respond$`));
      await expectPlainForm(page);
      const topLevelId = await postComment(page, { ...commenter('Changed-mind'), comment: `On second thought, a general remark. ${unique()}` });
      await expect(commentElement(page, topLevelId)).toBeVisible();
      await expect(page.locator(`#comment-${parentId} #comment-${topLevelId}`)).toHaveCount(0);
    });

    test('?replyto= a pending, unknown or other-post comment offers no reply, and posting such a reply is refused with values kept', async ({ page }) => {
      // An approved comment on another post, and this reader's own pending comment on this one.
      const elsewhereId = await publishedComment(page, GUIDE, { ...commenter('Elsewhere'), comment: `On another post ${unique()}` });
      await page.goto(`/posts/${SMS}`);
      const pendingId = await postComment(page, { ...commenter('Pending'), comment: `Not yet approved ${unique()}` });
      await expect(commentElement(page, pendingId)).toContainText(t['comments.awaitingBadge']);

      for (const [what, parentId] of [
        ['a pending comment (even to its own author)', pendingId],
        ['an unknown comment', 2_000_000_000],
        ['a comment on another post', elsewhereId],
      ] as const) {
        await test.step(what, async () => {
          const shown = await page.goto(`/posts/${SMS}?replyto=${parentId}#respond`);
          expect(shown?.status()).toBe(200);
          await expectPlainForm(page);

          // A crafted submission naming that parent (the browser's own form post, with `parent` added).
          await page.route(
            (url) => url.pathname === `/posts/${SMS}` && url.search.includes('_action'),
            async (route) => {
              const body = new URLSearchParams(route.request().postData() ?? '');
              body.set('parent', String(parentId));
              await route.continue({ postData: body.toString() });
            },
            { times: 1 },
          );
          const marker = unique('orphan-');
          const values: CommentFields = { ...commenter('Crafty'), website: `https://example.org/${marker}`, comment: `A reply that must not land ${marker}\n\u2728` };
          const response = await submitComment(page, values);
          expect(response.request().method()).toBe('POST');
          expect(response.status()).toBe(400);
          await expect(page.getByText(t['form.error.parentNotFound'], { exact: true })).toBeVisible();
          await expectValuesKept(page, values);
          expect(commentsContaining(marker)).toEqual([]);
        });
      }
    });

    test('after a refused reply, the form shown (a plain "Leave a comment" form) can be posted without losing the text', async ({ page }) => {
      await page.goto(`/posts/${SMS}`);
      await page.route(
        (url) => url.pathname === `/posts/${SMS}` && url.search.includes('_action'),
        async (route) => {
          const body = new URLSearchParams(route.request().postData() ?? '');
          body.set('parent', '2000000000');
          await route.continue({ postData: body.toString() });
        },
        { times: 1 },
      );
      const marker = unique('stale-');
      const values: CommentFields = { ...commenter('Stale'), comment: `Replying to a comment that is gone ${marker}` };
      expect((await submitComment(page, values)).status()).toBe(400);
      await expect(page.getByText(t['form.error.parentNotFound'], { exact: true })).toBeVisible();
      await expectPlainForm(page);
      await expectValuesKept(page, values);
      // The user does what the page suggests: submits the plain "Leave a comment" form again, text intact.
      const again = await submitCommentForm(page);
      await expect(
        page.getByText(t['form.error.parentNotFound'], { exact: true }),
        'resubmitting the form as shown must not hit the same refusal again (a dead end: the text can never be posted from here)',
      ).toHaveCount(0);
      expect(again.request().redirectedFrom()?.method(), 'the resubmission is accepted (POST → 303 → GET)').toBe('POST');
      await expect(page).toHaveURL(new RegExp(`/posts/${SMS}#comment-\\d+$`));
      const id = Number(/#comment-(\d+)$/.exec(page.url())![1]);
      await expect(commentElement(page, id)).toContainText(marker);
    });

    test('"Remember my name, email and website" pre-fills the form on the next visit, and unchecking it forgets', async ({ page, context }) => {
      const who = commenter('Regular');
      const website = `https://example.org/regular/${unique()}`;
      await page.goto(`/posts/${QOS}`);
      await postComment(page, { ...who, website, comment: `Remember me ${unique()}`, remember: true });

      const later = await context.newPage();
      await later.goto(`/posts/${QOS}`);
      await expectValuesKept(later, { ...who, website, comment: '', remember: true });

      // A later comment with the box unchecked: the details are forgotten.
      await postComment(later, { comment: `Forget me now ${unique()}`, remember: false });
      const afterwards = await context.newPage();
      await afterwards.goto(`/posts/${QOS}`);
      await expectValuesKept(afterwards, {});
    });

    test('markup and script in a comment are shown as text and never run', async ({ page, browser, baseURL }) => {
      const marker = unique('xss-');
      const payload = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">**bold** ${marker}`;
      const name = `<img src=x onerror="window.__pwned=1"> Eve ${unique()}`;
      await page.goto(`/posts/${GUIDE}`);
      const id = await postComment(page, { name, email: commenter().email, comment: payload });
      await expect(commentElement(page, id)).toContainText('<script>window.__pwned=1</script>');
      await expect(commentElement(page, id).locator('script, img')).toHaveCount(0);
      if (js) expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      await approveComment(id);

      // Another reader, with JavaScript on so that anything injected would run.
      const other = await anotherReader(browser, baseURL!, true);
      try {
        const dialogs: string[] = [];
        other.page.on('dialog', async (dialog) => {
          dialogs.push(dialog.message());
          await dialog.dismiss();
        });
        await other.page.goto(`/posts/${GUIDE}`);
        const comment = commentElement(other.page, id);
        await expect(comment).toContainText('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">');
        await expect(comment.locator('strong')).toHaveText('bold');
        await expect(comment.getByText(name, { exact: true })).toBeVisible();
        await expect(comment.locator('script, img, [onerror]')).toHaveCount(0);
        await other.page.waitForLoadState('load');
        expect(await other.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
        expect(dialogs).toEqual([]);
      } finally {
        await other.context.close();
      }
    });
  });
}

test.describe('threads, refusals and privacy', () => {
  test.use({ javaScriptEnabled: false });

  test(`a chain of replies nests ${MAX_DEPTH} levels deep at most; deeper replies attach at level ${MAX_DEPTH}`, async ({ page, browser, baseURL }) => {
    const ids: number[] = [];
    ids.push(await publishedComment(page, GUIDE, { ...commenter('Level 1'), comment: `Level 1 ${unique()}` }));
    for (let level = 2; level <= 8; level++) {
      await page.goto(`/posts/${GUIDE}?replyto=${ids.at(-1)}#respond`);
      await expect(commentForm(page).getByRole('heading', { name: /^Reply to Level / })).toBeVisible();
      const id = await postComment(page, { ...commenter(`Level ${level}`), comment: `Level ${level} ${unique()}` });
      await approveComment(id);
      ids.push(id);
    }

    const other = await anotherReader(browser, baseURL!, false);
    try {
      const reader = other.page;
      await reader.goto(`/posts/${GUIDE}`);
      const within = (levels: number) => '.comment '.repeat(levels);
      for (const [index, id] of ids.entries()) {
        const depth = Math.min(index + 1, MAX_DEPTH);
        await expect(reader.locator(`#comment-${id}`), `reply ${index + 1} is shown`).toHaveCount(1);
        await expect(reader.locator(`${within(depth - 1)}#comment-${id}`), `reply ${index + 1} is at depth ${depth}`).toHaveCount(1);
        await expect(reader.locator(`${within(depth)}#comment-${id}`), `reply ${index + 1} is not deeper than ${depth}`).toHaveCount(0);
      }
      // Levels 5…8 are all direct replies shown under the level-4 comment.
      for (const id of ids.slice(MAX_DEPTH - 1)) {
        await expect(reader.locator(`#comment-${ids[MAX_DEPTH - 2]} > * > #comment-${id}`)).toHaveCount(1);
      }
      await expect(reader.locator(`#comment-${ids[0]} ${within(MAX_DEPTH)}`)).toHaveCount(0);
    } finally {
      await other.context.close();
    }
  });

  test('a post with comments closed shows "Comments are closed." and refuses a crafted post with 403', async ({ page, baseURL }) => {
    const action = (await actionUrl(page, OUTAGE)).replace(`/posts/${OUTAGE}`, `/posts/${CLOSED}`);
    await page.goto(`/posts/${CLOSED}`);
    await expect(page.getByText(t['comments.closed'], { exact: true })).toBeVisible();
    await expect(commentForm(page)).toHaveCount(0);
    await expect(page.getByRole('button', { name: t['form.submit'] })).toHaveCount(0);
    await expect(page.getByRole('textbox', { name: t['form.comment'], exact: true })).toHaveCount(0);

    const marker = unique('closed-');
    const response = await page.request.post(action, {
      headers: { Origin: new URL(baseURL!).origin },
      form: { post: CLOSED, ...commenter('Latecomer'), comment: `Too late ${marker}` },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('Comments are closed');
    // The same through the actions endpoint a script would call.
    const viaEndpoint = await page.request.post(ACTION_ENDPOINT, {
      headers: { Origin: new URL(baseURL!).origin },
      form: { post: CLOSED, ...commenter('Latecomer'), comment: `Too late, by script ${marker}` },
      maxRedirects: 0,
    });
    expect(viaEndpoint.status()).toBe(403);
    expect(commentsContaining(marker)).toEqual([]);
  });

  test('a cross-site form post is refused with 403 and stores nothing', async ({ page, baseURL }) => {
    const action = await actionUrl(page, OUTAGE);
    const token = await commentForm(page).locator('input[name="token"]').getAttribute('value');
    const fields = (marker: string) => ({ post: OUTAGE, token: token ?? '', ...commenter('Forger'), comment: `Cross-site ${marker}` });

    const evil = unique('evil-');
    const refused = await page.request.post(action, { headers: { Origin: 'http://evil.example' }, form: fields(evil), maxRedirects: 0 });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain(t['form.error.crossSite']);
    const viaReferer = await page.request.post(action, { headers: { Referer: 'http://evil.example/page' }, form: fields(evil), maxRedirects: 0 });
    expect(viaReferer.status()).toBe(403);
    const viaEndpoint = await page.request.post(ACTION_ENDPOINT, { headers: { Origin: 'http://evil.example' }, form: fields(evil), maxRedirects: 0 });
    expect(viaEndpoint.status()).toBe(403);
    expect(commentsContaining(evil)).toEqual([]);

    // The very same request from the site's own origin is accepted (so the origin alone made the difference).
    const own = unique('own-');
    const accepted = await page.request.post(action, { headers: { Origin: new URL(baseURL!).origin }, form: fields(own), maxRedirects: 0 });
    expect(accepted.status()).toBe(303);
    expect(commentsContaining(own)).toHaveLength(1);
  });

  test('the email address appears nowhere public: not in pages, feeds, sitemaps, headers, nor as an MD5/SHA hash', async ({ page, context, browser, request, baseURL }) => {
    const marker = unique();
    const email = `Ada.Lovelace.${marker}@Example.ORG`;
    const stored = `Ada.Lovelace.${marker}@example.org`;
    const name = `Countess ${unique()}`;
    const headerDumps: Promise<string>[] = [];
    context.on('response', (r) => headerDumps.push(r.allHeaders().then((h) => `${r.url()}\n${JSON.stringify(h)}`)));

    // The author comments without "remember me" and looks at the post: their own pending comment, no email.
    await page.goto(`/posts/${OUTAGE}`);
    const id = await postComment(page, { name, email, website: `https://example.org/${marker}`, comment: `Privacy check ${marker}` });
    const ownView = await page.request.get(`/posts/${OUTAGE}`);
    expect(await ownView.text()).toContain(`Privacy check ${marker}`);
    expect(emailLeaks(await ownView.text(), email), 'author view without remember me').toEqual([]);
    await approveComment(id);

    // Everyone else, everywhere the comment (or its author) could show up.
    const publicPaths = [`/posts/${OUTAGE}`, indexPath(indexPageOf(OUTAGE)), '/', '/rss.xml', '/sitemap-index.xml', '/sitemap-0.xml'];
    for (const path of publicPaths) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      const body = await response.text();
      if (path.startsWith('/posts/')) expect(body).toContain(`Privacy check ${marker}`);
      expect(emailLeaks(body, email), `body of ${path}`).toEqual([]);
      const headers = response.headersArray().map((h) => `${h.name}: ${h.value}`).join('\n');
      expect(emailLeaks(headers, email), `headers of ${path}`).toEqual([]);
    }
    const afterApproval = await page.request.get(`/posts/${OUTAGE}`);
    expect(emailLeaks(await afterApproval.text(), email), 'author view after approval').toEqual([]);
    const headers = await Promise.all(headerDumps);
    expect(headers.length).toBeGreaterThan(0);
    expect(emailLeaks(headers.join('\n'), email), 'headers of every response the author got (incl. Set-Cookie)').toEqual([]);

    // With "remember me", the author's own page carries the email once: as the Email field's value.
    const second = await anotherReader(browser, baseURL!, false);
    try {
      await second.page.goto(`/posts/${OUTAGE}`);
      await postComment(second.page, { name, email, comment: `Remember this one ${marker}`, remember: true });
      await expect(formField(second.page, 'Email')).toHaveValue(stored);
      const own = await second.page.request.get(`/posts/${OUTAGE}`);
      const html = await own.text();
      const emailInputs: string[] = html.match(/<input\b[^>]*\bname="email"[^>]*>/g) ?? [];
      expect(emailInputs).toHaveLength(1);
      expect(emailInputs[0]).toContain(`value="${stored}"`);
      expect(emailLeaks(html.replace(emailInputs[0], ''), email), 'anything but the Email input').toEqual([]);
      expect(emailLeaks(own.headersArray().map((h) => `${h.name}: ${h.value}`).join('\n'), email)).toEqual([]);
    } finally {
      await second.context.close();
    }
  });
});
