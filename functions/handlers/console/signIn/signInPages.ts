import type { HttpResponse } from '../../http';
import { html, page, type Html } from '../html';

/** The pages a person sees before and after a session: no navigation, nothing but the way in or out. */

export function signInPage(next: string, error?: string): HttpResponse {
  return page(
    'Sign in',
    undefined,
    html`<section class="card narrow">
      <h1>Sign in to the console</h1>
      ${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
      <form method="post" action="/admin/sign-in">
        <input type="hidden" name="next" value="${next}" />
        <label>Admin key or editor key<input type="password" name="key" autocomplete="current-password" required autofocus /></label>
        <p><button type="submit">Sign in</button></p>
      </form>
      <p class="muted">
        Publishers use TACTFUL_ADMIN_KEY (locally: dev-admin), editors TACTFUL_EDITOR_KEY (locally: dev-editor). You stay signed in for 8
        hours on this browser, until you sign out.
      </p>
    </section>`,
    error ? 401 : 200,
  );
}

export function signedOutPage(): HttpResponse {
  return page(
    'Signed out',
    undefined,
    html`<section class="card narrow">
      <h1>Signed out</h1>
      <p><a href="/admin">Sign in again</a></p>
    </section>`,
  );
}

/** The identity provider's sign-in did not end in a session: why, in words, and the way to try again. */
export function signInFailedPage(why: Html | string, status: number, cookies: string[]): HttpResponse {
  return {
    ...page(
      'Sign-in failed',
      undefined,
      html`<h1>Sign-in failed</h1>
        <p>${why}. <a href="/admin/sign-in">Try again</a>.</p>`,
      status,
    ),
    cookies,
  };
}

/**
 * After the identity provider's redirect (a cross-site navigation) a SameSite=Strict cookie would not
 * be sent on a further redirect; a page of ours that moves on is a same-site navigation, so it is.
 */
export function continuePage(next: string, cookies: string[], title = 'Signed in'): HttpResponse {
  const response = page(title, undefined, html`<p>${title}… <a href="${next}">Continue</a></p>`);
  return { ...response, headers: { ...response.headers, refresh: `0;url=${next}` }, cookies };
}

/** Only same-site paths under /admin: a sign-in link cannot send anyone elsewhere. */
export function safeNext(value: string | null | undefined): string {
  return value && /^\/admin(\/[\w\-./?=&%]*)?$/.test(value) && !value.startsWith('//') ? value : '/admin';
}
