import { createHmac } from 'node:crypto';
import { sameString } from './apiKeys';
import { header, type HttpRequest } from './http';

/** Defences shared by every HTML form: a per-page token a cross-site form cannot know, and an origin check. */

/** A token for a page's forms, derived from what the page is about (a link token, a session). */
export function csrfFor(subject: string, key: Buffer, purpose = 'tactful.csrf.v1'): string {
  return createHmac('sha256', key).update(`${purpose}:${subject}`).digest('base64url');
}

export function csrfValid(given: string | null | undefined, subject: string, key: Buffer, purpose?: string): boolean {
  return Boolean(given) && sameString(given!, csrfFor(subject, key, purpose));
}

/** Browsers say where a form post came from; anything but this site (or a direct navigation) is refused. */
export function sameOrigin(request: HttpRequest): boolean {
  const site = header(request, 'sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = header(request, 'origin');
  if (origin && origin !== 'null') {
    const host = header(request, 'host') ?? request.requestContext.domainName;
    try {
      if (new URL(origin).host !== host) return false;
    } catch {
      return false;
    }
  }
  return true;
}
