/**
 * Checks on an untrusted request body before anything parses it for real: size, content
 * type, encoding, field count, NUL bytes. Each failure is a clear 4xx; nothing downstream
 * (actions, pages) ever sees such a request. Pure: works on a Request, no Astro.
 */

export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_FIELDS = 200;

export type BodyProblem = { status: 400 | 411 | 413 | 415; reason: 'tooLarge' | 'malformed' | 'unsupportedType' };

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

async function readLimited(request: Request, limit: number): Promise<Uint8Array | 'tooLarge'> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not awaited: cancelling one branch of a cloned body settles only when the other branch
      // is cancelled too, which never happens here (the response is sent instead).
      void reader.cancel().catch(() => {});
      return 'tooLarge';
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function hasInvalidField(entries: Iterable<[string, FormDataEntryValue | string]>): boolean {
  let count = 0;
  for (const [key, value] of entries) {
    if (++count > MAX_FIELDS) return true;
    if (key.includes('\0') || (typeof value === 'string' && value.includes('\0'))) return true;
  }
  return false;
}

/** Decodes an urlencoded body strictly: bad percent-escapes or invalid UTF-8 are errors, not U+FFFD. */
function parseUrlencodedStrict(bytes: Uint8Array): [string, string][] | null {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const pairs: [string, string][] = [];
  if (text === '') return pairs;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const [k, v] = eq === -1 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    try {
      pairs.push([decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent(v.replace(/\+/g, ' '))]);
    } catch {
      return null;
    }
  }
  return pairs;
}

/** Inspects a POST body (on a clone, so the original stays readable); null when acceptable. */
export async function checkFormBody(request: Request): Promise<BodyProblem | null> {
  const declared = request.headers.get('content-length');
  if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > MAX_BODY_BYTES)) {
    return { status: 413, reason: 'tooLarge' };
  }
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) return { status: 415, reason: 'unsupportedType' };

  const bytes = await readLimited(request.clone(), MAX_BODY_BYTES).catch(() => null);
  if (bytes === 'tooLarge') return { status: 413, reason: 'tooLarge' };
  if (bytes === null) return { status: 400, reason: 'malformed' };

  try {
    if (type === 'application/x-www-form-urlencoded') {
      const pairs = parseUrlencodedStrict(bytes);
      if (!pairs || hasInvalidField(pairs)) return { status: 400, reason: 'malformed' };
    } else {
      // Every field here is text and no form takes a file upload, so the whole body must be
      // UTF-8: the multipart parser would quietly turn invalid bytes into U+FFFD.
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      const form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': request.headers.get('content-type')! } }).formData();
      if (hasInvalidField(form.entries())) return { status: 400, reason: 'malformed' };
    }
  } catch {
    return { status: 400, reason: 'malformed' };
  }
  return null;
}

/**
 * Same-origin check for state-changing requests: the Origin (or, failing that, the Referer)
 * must be the site's own origin, either SITE_URL or the origin the request was addressed to.
 */
export function isSameOrigin(request: Request, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.get('origin');
  let claimed: string | null = origin && origin !== 'null' ? origin : null;
  if (!claimed && !origin) {
    const referer = request.headers.get('referer');
    try {
      claimed = referer ? new URL(referer).origin : null;
    } catch {
      claimed = null;
    }
  }
  return claimed !== null && allowedOrigins.includes(claimed.toLowerCase());
}
