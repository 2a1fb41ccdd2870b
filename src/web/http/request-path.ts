/**
 * The one place that decides what path a request is for. Astro's router decodes a path
 * (`decodeURI`) and drops one leading slash before matching, while the URL parser resolves
 * dot segments and turns backslashes into slashes: so `//admin`, `/%61dmin` or `/x/../admin`
 * all reach the admin page although none of them "starts with /admin". Rather than teach
 * every check each spelling, a request whose path is not in canonical form never reaches a
 * route: a safe method is redirected to the canonical spelling, anything else is refused.
 * After that gate the raw path, the decoded path and the routed path agree.
 *
 * Pure: strings in, a verdict out (used by the front server and by the middleware).
 */

export type PathVerdict =
  | { kind: 'canonical' }
  /** Same resource, spelled differently: send the client to `location` (path and query). */
  | { kind: 'redirect'; location: string }
  /** Ambiguous or malformed (encoded slash, backslash, NUL, bad escape): no route should guess. */
  | { kind: 'refuse' };

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** Characters RFC 3986 allows literally in a path (pchar plus `/`). */
const PATH_CHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;

/**
 * Checks the request target (`req.url`: path plus optional query) and says whether it is in
 * canonical form: one leading slash, no empty segments, no `.`/`..` segments (literal or
 * percent-encoded), no percent-encoding of characters that need none, upper-case escapes.
 * A trailing slash is kept (Astro treats `/x` and `/x/` alike and so do we).
 */
export function checkRequestPath(target: string): PathVerdict {
  const queryAt = target.indexOf('?');
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : target.slice(queryAt);
  // Absolute-form (`http://host/x`), asterisk-form and empty targets are not paths we serve.
  if (!rawPath.startsWith('/')) return { kind: 'refuse' };

  let normalised = '';
  for (let i = 0; i < rawPath.length; i++) {
    const char = rawPath[i];
    if (char === '%') {
      const hex = rawPath.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return { kind: 'refuse' };
      const code = parseInt(hex, 16);
      // An encoded slash or backslash would be a different path to a proxy than to the router;
      // an encoded control character is never part of a page's address.
      if (code === 0x2f || code === 0x5c || code < 0x20 || code === 0x7f) return { kind: 'refuse' };
      // `%25` followed by hex would decode to another escape (double encoding), as Astro refuses too.
      if (code === 0x25 && /^[0-9A-Fa-f]{2}$/.test(rawPath.slice(i + 3, i + 5))) return { kind: 'refuse' };
      const decoded = String.fromCharCode(code);
      normalised += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
      i += 2;
      continue;
    }
    if (char === '\\' || char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f) return { kind: 'refuse' };
    normalised += PATH_CHAR.test(char) ? char : encodeURIComponent(char);
  }

  const segments: string[] = [];
  const parts = normalised.split('/').slice(1);
  parts.forEach((segment, index) => {
    const last = index === parts.length - 1;
    if (segment === '..') segments.pop();
    else if (segment !== '.' && (segment !== '' || last)) segments.push(segment);
    // A final `.` or `..` names a folder: keep the trailing slash it implies.
    if (last && (segment === '.' || segment === '..') && segments[segments.length - 1] !== '') segments.push('');
  });
  let canonical = `/${segments.join('/')}`;
  if (canonical === '//') canonical = '/';
  return canonical === rawPath ? { kind: 'canonical' } : { kind: 'redirect', location: canonical + query };
}

/**
 * Whether a canonical, decoded path belongs to the moderation area. Called with the path the
 * router matches (`decodeURI` of the canonical path), so no spelling can slip past.
 */
export function isAdminPath(pathname: string): boolean {
  // Case-insensitive on purpose: failing closed costs nothing if a router ever folds case.
  const path = pathname.toLowerCase();
  return path === '/admin' || path.startsWith('/admin/');
}

/**
 * The action a form post or RPC call names, split the way Astro's pipeline splits it
 * (`name.split('.').map(decodeURIComponent)`), or null when the name cannot be decoded.
 */
export function actionPath(name: string): string[] | null {
  try {
    return name.split('.').map((key) => decodeURIComponent(key));
  } catch {
    return null;
  }
}
