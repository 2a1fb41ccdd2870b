/**
 * Every cookie Afterword sets starts with `aw_` (a commenter's own comments, remembered details,
 * a moderator's session and device). A request carrying one may get a personal page: it is
 * never answered from, or stored in, a shared cache.
 */
export function carriesPersonalCookie(cookieHeader: string | null | undefined): boolean {
  return !!cookieHeader && /(?:^|;\s*)aw_/.test(cookieHeader);
}
