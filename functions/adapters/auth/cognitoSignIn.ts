import { CognitoJwtVerifier } from 'aws-jwt-verify';

/**
 * Console sign-in on AWS: the OAuth 2.0 authorization-code flow with PKCE against a Cognito user pool
 * (a public client: no secret to keep), and the ID token verified against the pool's keys. People get
 * their own accounts, MFA and lockout from Cognito; the console then issues its own session cookie.
 */

export interface ConsoleIdentityProvider {
  authorizationUrl(request: { state: string; codeChallenge: string; redirectUri: string }): string;
  /** Exchanges the code for tokens and returns who signed in, and their groups (roles), from a verified ID token. */
  signIn(request: { code: string; codeVerifier: string; redirectUri: string }): Promise<{ subject: string; groups?: string[] }>;
  /** Where to send the browser to end the provider's own session, coming back to `returnTo`. */
  logoutUrl?(returnTo: string): string;
}

export class SignInError extends Error {
  override name = 'SignInError';
}

export interface CognitoSignInOptions {
  /** https://<prefix>.auth.<region>.amazoncognito.com (or a custom domain) */
  domain: string;
  userPoolId: string;
  clientId: string;
  fetch?: typeof fetch;
  /** Tests pass the pool's keys; on AWS they are fetched (and cached) from the pool. */
  jwks?: { keys: unknown[] };
}

export class CognitoSignIn implements ConsoleIdentityProvider {
  private readonly verifier;
  private readonly domain: string;

  constructor(private readonly options: CognitoSignInOptions) {
    this.domain = options.domain.replace(/\/+$/, '');
    this.verifier = CognitoJwtVerifier.create({ userPoolId: options.userPoolId, clientId: options.clientId, tokenUse: 'id' });
    if (options.jwks) this.verifier.cacheJwks(options.jwks as Parameters<typeof this.verifier.cacheJwks>[0]);
  }

  authorizationUrl({ state, codeChallenge, redirectUri }: { state: string; codeChallenge: string; redirectUri: string }): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: this.options.clientId,
      redirect_uri: redirectUri,
      scope: 'openid',
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    });
    return `${this.domain}/oauth2/authorize?${query.toString()}`;
  }

  logoutUrl(returnTo: string): string {
    return `${this.domain}/logout?${new URLSearchParams({ client_id: this.options.clientId, logout_uri: returnTo }).toString()}`;
  }

  async signIn({
    code,
    codeVerifier,
    redirectUri,
  }: {
    code: string;
    codeVerifier: string;
    redirectUri: string;
  }): Promise<{ subject: string; groups?: string[] }> {
    const response = await (this.options.fetch ?? fetch)(`${this.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: this.options.clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
      }),
    });
    if (!response.ok) throw new SignInError(`the token endpoint answered ${response.status}`);
    const tokens = (await response.json()) as { id_token?: unknown };
    if (typeof tokens.id_token !== 'string') throw new SignInError('the token endpoint returned no ID token');
    try {
      const claims = await this.verifier.verify(tokens.id_token);
      // Cognito groups named viewer, editor and publisher are the console's roles.
      const groups = claims['cognito:groups'];
      return { subject: claims.sub, groups: Array.isArray(groups) ? groups.map(String) : [] };
    } catch (error) {
      throw new SignInError(`the ID token did not verify: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
