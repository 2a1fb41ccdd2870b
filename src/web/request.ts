import { getConfig } from '../services/config';

/**
 * Facts about the incoming request that depend on deployment: the client's address (from
 * X-Forwarded-For only when TRUST_PROXY says a proxy sets it) and whether it came over HTTPS.
 */
export function clientAddress(request: Request, socketAddress: string): string {
  if (getConfig().TRUST_PROXY) {
    // The proxy appends the address it saw; earlier entries are whatever the client claimed.
    const forwarded = request.headers.get('x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean);
    if (forwarded?.length) return forwarded[forwarded.length - 1];
  }
  return socketAddress;
}

export function isSecureRequest(request: Request): boolean {
  if (new URL(request.url).protocol === 'https:') return true;
  return getConfig().TRUST_PROXY && request.headers.get('x-forwarded-proto') === 'https';
}

/**
 * Form data as a plain record: one string per field, and an array where a field was sent
 * more than once (validation treats anything but a single string as invalid).
 */
export function formFields(formData: FormData): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const values = formData.getAll(key);
    fields[key] = values.length === 1 ? values[0] : values;
  }
  return fields;
}
