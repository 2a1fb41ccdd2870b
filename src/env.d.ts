/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The logged-in moderator on /admin pages and admin actions (set by middleware). */
    moderator?: import('./server/auth/sessions').SessionModerator;
  }
}
