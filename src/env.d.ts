/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The logged-in moderator on /admin pages and admin actions (set by middleware). */
    moderator?: import('./services/auth/sessions').SessionModerator;
    /** The comment form token on this page, so the page cache can refresh it per response. */
    formToken?: { value: string; slug: string };
    /** What the request is for, decided once by middleware from the routed path and the action name. */
    area?: 'admin' | 'public';
    /** The action this request runs (`admin.moderate`…), as Astro resolves it; null when none. */
    calledAction?: string | null;
    /** Set by an action that refuses for a while (login lock, flood): sent as `Retry-After`. */
    retryAfterSeconds?: number;
  }
}
