import { defineAction } from 'astro:actions';
import type { ActionAPIContext } from 'astro:actions';
import { MODERATION_ACTIONS, type ModerationAction } from '../domain/comments/moderation';
import { getConfig } from '../services/config';
import { attemptLogin } from '../services/auth/login';
import { clearSessionCookie, readDeviceToken, readSessionToken, setDeviceCookie, setSessionCookie } from '../web/cookies/auth';
import { invalidateSession, type SessionModerator } from '../services/auth/sessions';
import { addOwnCommentId, forgetCommenter, readOwnCommentIds, rememberCommenter } from '../web/cookies/commenter';
import { submitComment } from '../services/comments';
import type { DbConnection } from '../services/context';
import { app, appSecret, db } from '../web/app';
import { useMailLink } from '../services/mail-links';
import { blockAuthor, pinComment, unblockAuthorById, unpinComment } from '../services/author-moderation';
import { editComment, moderateComments, replyAsModerator } from '../services/moderation';
import { getModerationRules, saveRulesFromForm } from '../services/moderation-rules';
import { i18n } from '../web/i18n';
import { confirmSubscription, subscribeToReplies } from '../services/reply-notifications';
import { deleteOwn, editOwnComment, type OwnAccess } from '../services/own-comments';
import { regenerateWebhookSecret } from '../services/webhooks';
import { announcePublished } from '../web/webhooks';
import { listPosts } from '../web/content/posts';
import { clientAddress, formFields, isSecureRequest } from '../web/request';
import { refuse } from '../web/action-results';

/** This browser's proof of authorship (its signed cookie) and the edit window, for a commenter's own comment. */
function ownAccess(context: ActionAPIContext): OwnAccess {
  return { ownCommentIds: readOwnCommentIds(context.cookies, appSecret()), now: new Date(), editMinutes: getConfig().COMMENT_EDIT_MINUTES };
}

/** The logged-in moderator; middleware already refused the request without one, this is defence in depth. */
function requireModerator(context: ActionAPIContext): SessionModerator {
  const moderator = context.locals.moderator;
  if (!moderator) refuse(context, { reason: 'loginRequired' });
  return moderator;
}

/** Comment ids from a form: positive integers only, at most one page of the queue. */
function parseIds(values: unknown): number[] {
  const list = Array.isArray(values) ? values : values === undefined ? [] : [values];
  return [...new Set(list.filter((v): v is string => typeof v === 'string' && /^[1-9]\d{0,15}$/.test(v)).map(Number))].slice(0, 100);
}

/**
 * A moderator's action on one comment (edit, reply): the id from the form, one service call,
 * NOT_FOUND when the comment is gone; validation errors come back as data for the form.
 */
function commentAction<Outcome extends object>(
  run: (connection: DbConnection, moderator: SessionModerator, id: number, fields: Record<string, unknown>, now: Date) => Outcome | { ok: false; notFound: true },
) {
  return defineAction({
    accept: 'form',
    handler: async (formData: FormData, context) => {
      const moderator = requireModerator(context);
      const fields = formFields(formData);
      const [id] = parseIds(fields.id);
      if (!id) refuse(context, { reason: 'badId' });
      const outcome = run(db(), moderator, id, fields, new Date());
      if ('notFound' in outcome) refuse(context, { reason: 'commentNotFound' });
      return outcome as Exclude<Outcome, { notFound: true }>;
    },
  });
}

/**
 * A moderator's action on one thing named by the form's `id` (a comment, or a block on the rules
 * page): one service call; refusals come back as data (`ok: false`, `reason`) for the page.
 */
function idAction<Outcome extends { ok: boolean }>(done: 'pin' | 'unpin' | 'block' | 'unblock', run: (connection: DbConnection, moderator: SessionModerator, id: number, now: Date) => Promise<Outcome>) {
  return defineAction({
    accept: 'form',
    handler: async (formData: FormData, context) => {
      const moderator = requireModerator(context);
      const [id] = parseIds(formFields(formData).id);
      if (!id) refuse(context, { reason: 'badId' });
      const outcome = await run(db(), moderator, id, new Date());
      return { ...outcome, done };
    },
  });
}

export const server = {
  comments: {
    /** A reader's comment or reply. Works as a plain HTML form post (no JavaScript). */
    submit: defineAction({
      accept: 'form',
      handler: async (formData: FormData, context) => {
        const fields = formFields(formData);
        const post = (await listPosts()).find((p) => p.slug === fields.post);
        if (!post) refuse(context, { reason: 'postNotFound' });
        const secret = appSecret();
        const ownCommentIds = readOwnCommentIds(context.cookies, secret);
        const now = new Date();
        const outcome = await submitComment(db(), {
          post,
          fields,
          clientAddress: clientAddress(context.request, context.clientAddress),
          ownCommentIds,
          secret,
          now,
          mailer: app().mailer,
          settings: getConfig(),
        });
        if (outcome.kind === 'invalid') return { ok: false as const, errors: outcome.errors };
        if (outcome.kind === 'refused') {
          const { kind: _, ...refusal } = outcome;
          refuse(context, refusal);
        }
        const secure = isSecureRequest(context.request);
        addOwnCommentId(context.cookies, secret, outcome.id, secure);
        const { input } = outcome;
        if (input.notify) {
          await subscribeToReplies(db(), {
            commentId: outcome.id,
            status: outcome.status,
            name: input.name,
            email: input.email,
            ownCommentIds,
            post,
            secret,
            origin: getConfig().SITE_URL,
            translator: i18n(),
            now,
          });
        }
        if (input.remember) rememberCommenter(context.cookies, secret, { name: input.name, email: input.email, website: input.website ?? '' }, secure);
        else forgetCommenter(context.cookies);
        return { ok: true as const, id: outcome.id, slug: post.slug };
      },
    }),

    /** The author's edit of their own comment, from the browser that wrote it, within COMMENT_EDIT_MINUTES. */
    edit: defineAction({
      accept: 'form',
      handler: async (formData: FormData, context) => {
        const fields = formFields(formData);
        const [id] = parseIds(fields.id);
        if (!id) refuse(context, { reason: 'badId' });
        const outcome = await editOwnComment(db(), id, fields, ownAccess(context));
        if (outcome.kind === 'invalid') return { ok: false as const, errors: outcome.errors };
        if (outcome.kind === 'refused') refuse(context, outcome.refusal);
        return { ok: true as const, id, slug: outcome.postSlug, status: outcome.status };
      },
    }),

    /** The author's deletion of their own comment, after the confirming page's button. */
    delete: defineAction({
      accept: 'form',
      handler: async (formData: FormData, context) => {
        const [id] = parseIds(formFields(formData).id);
        if (!id) refuse(context, { reason: 'badId' });
        const outcome = await deleteOwn(db(), id, ownAccess(context));
        if (outcome.kind === 'refused') refuse(context, outcome.refusal);
        return { ok: true as const, slug: outcome.postSlug };
      },
    }),

    /** The button behind a reply-notification confirmation link (the link alone, a GET, changes nothing). */
    confirmNotifications: defineAction({
      accept: 'form',
      handler: async (formData: FormData) => {
        const { token } = formFields(formData);
        return confirmSubscription(db(), appSecret(), token, (await getModerationRules(db())).autoApproveKnownAuthors, new Date());
      },
    }),
  },

  mailLink: {
    /**
     * The button on a notification mail's confirmation page: no session, the signed single-use
     * link is the authority. Guarded like every post (origin check in the middleware).
     */
    confirm: defineAction({
      accept: 'form',
      handler: async (formData: FormData) => useMailLink(db(), appSecret(), formFields(formData).link, new Date()),
    }),
  },

  admin: {
    /** Moderator login; a new session (and token) every time. */
    login: defineAction({
      accept: 'form',
      handler: async (formData: FormData, context) => {
        const fields = formFields(formData);
        const email = typeof fields.email === 'string' ? fields.email : '';
        const password = typeof fields.password === 'string' ? fields.password : '';
        if (!email.trim() || !password) refuse(context, { reason: 'missing' });
        const outcome = await attemptLogin(db(), {
          email,
          password,
          clientAddress: clientAddress(context.request, context.clientAddress),
          deviceToken: readDeviceToken(context.cookies),
          secret: appSecret(),
          now: new Date(),
        });
        if (!outcome.ok) {
          const { ok: _, ...refusal } = outcome;
          refuse(context, refusal);
        }
        const secure = isSecureRequest(context.request);
        setSessionCookie(context.cookies, outcome.token, outcome.expiresAt, secure);
        setDeviceCookie(context.cookies, outcome.deviceToken, secure);
        return { ok: true as const };
      },
    }),

    /** Ends the session server-side and clears the cookie. */
    logout: defineAction({
      accept: 'form',
      handler: async (_formData: FormData, context) => {
        const token = readSessionToken(context.cookies);
        if (token) await invalidateSession(db(), token);
        clearSessionCookie(context.cookies);
        return { ok: true as const };
      },
    }),

    /** Approve, unapprove, spam, trash, restore or delete one row (`do=action:id`) or the selected rows. */
    moderate: defineAction({
      accept: 'form',
      handler: async (formData: FormData, context) => {
        const moderator = requireModerator(context);
        const fields = formFields(formData);
        let action: string | undefined;
        let ids: number[];
        if (typeof fields.do === 'string') {
          const [name, id] = fields.do.split(':');
          action = name;
          ids = parseIds(id);
        } else {
          action = typeof fields.bulk === 'string' ? fields.bulk : undefined;
          ids = parseIds(fields.ids);
        }
        if (!action || !MODERATION_ACTIONS.includes(action as ModerationAction)) refuse(context, { reason: 'unknownAction' });
        if (ids.length === 0) refuse(context, { reason: 'noSelection' });
        if (action === 'delete' && fields.confirm !== 'yes') return { ok: false as const, confirmDelete: ids };
        const now = new Date();
        const { changed, published } = await moderateComments(db(), moderator, action as ModerationAction, ids, now);
        await announcePublished(db(), published, now);
        return { ok: true as const, action, changed };
      },
    }),

    /** Corrects a comment's name, website and text. */
    edit: commentAction(editComment),

    /** A reply from the site, approved at once. */
    reply: commentAction(async (connection, moderator, id, fields, now) => {
      const outcome = await replyAsModerator(connection, moderator, id, fields, now);
      if (outcome.ok) void announcePublished(connection, outcome.published, now);
      return outcome;
    }),

    /** Pin an approved top-level comment: it shows first in its thread. */
    pin: idAction('pin', pinComment),
    unpin: idAction('unpin', unpinComment),

    /** Block the author of a comment: their future comments go straight to spam. */
    block: idAction('block', blockAuthor),
    /** Lift a block (its id, from the rules page). */
    unblock: idAction('unblock', unblockAuthorById),

    /** Saves the moderation rules. */
    saveRules: defineAction({
      accept: 'form',
      handler: async (formData: FormData, context) => {
        const moderator = requireModerator(context);
        return saveRulesFromForm(db(), moderator, formFields(formData), new Date());
      },
    }),

    /** Replaces the webhook signing secret (receivers need the new one). */
    regenerateWebhookSecret: defineAction({
      accept: 'form',
      handler: async (_formData: FormData, context) => {
        const moderator = requireModerator(context);
        await regenerateWebhookSecret(db(), moderator, new Date());
        return { ok: true as const };
      },
    }),
  },
};
