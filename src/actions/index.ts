import { ActionError, defineAction } from 'astro:actions';
import { submitComment } from '../server/comments';
import { addPendingId, forgetCommenter, rememberCommenter } from '../server/commenter-cookies';
import { appSecret } from '../server/app-secret';
import { clientAddress, formFields, isSecureRequest } from '../server/request';
import { db } from '../server/db';
import { listPosts } from '../server/posts';

const REFUSAL_CODES = {
  closed: 'FORBIDDEN',
  expired: 'BAD_REQUEST',
  parentNotFound: 'BAD_REQUEST',
  duplicate: 'CONFLICT',
  flood: 'TOO_MANY_REQUESTS',
} as const;

export const server = {
  comments: {
    /** A reader's comment or reply. Works as a plain HTML form post (no JavaScript). */
    submit: defineAction({
      accept: 'form',
      handler: async (formData: FormData, context) => {
        const fields = formFields(formData);
        const post = (await listPosts()).find((p) => p.slug === fields.post);
        if (!post) throw new ActionError({ code: 'NOT_FOUND', message: 'post' });
        const secret = appSecret();
        const outcome = submitComment(db(), {
          post,
          fields,
          clientAddress: clientAddress(context.request, context.clientAddress),
          secret,
          now: new Date(),
        });
        if (outcome.kind === 'invalid') return { ok: false as const, errors: outcome.errors };
        if (outcome.kind === 'refused') {
          throw new ActionError({
            code: REFUSAL_CODES[outcome.reason],
            message: outcome.reason === 'flood' ? `flood:${outcome.retryAfterSeconds}` : outcome.reason,
          });
        }
        const secure = isSecureRequest(context.request);
        if (outcome.status === 'pending') addPendingId(context.cookies, secret, outcome.id, secure);
        const { input } = outcome;
        if (input.remember) rememberCommenter(context.cookies, secret, { name: input.name, email: input.email, website: input.website ?? '' }, secure);
        else forgetCommenter(context.cookies);
        return { ok: true as const, id: outcome.id, slug: post.slug };
      },
    }),
  },
};
