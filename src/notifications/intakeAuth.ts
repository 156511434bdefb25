// Who may post notifications: an Entra access token for this bot's app, issued by the configured
// tenant, signed with a key the authority publishes, carrying the Notifications.Send app role.

import { Claims, JwtError, PublicJwk, decodeJwt, verifyJwt } from '../auth/jwt';

export const SEND_ROLE = 'Notifications.Send';

export type IntakeAuthResult =
  | { readonly ok: true; readonly claims: Claims }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

export interface IntakeAuthOptions {
  readonly authorityHost: string;
  readonly tenantId: string;
  /** Accepted audiences: the SSO app's client id and its Application ID URIs. */
  readonly audiences: readonly string[];
  readonly fetch?: (url: string) => Promise<Response>;
  readonly now?: () => number;
}

export class IntakeAuthenticator {
  private keys: PublicJwk[] = [];
  private issuer: string | null = null;
  private fetchedAt = 0;
  private readonly fetchFn: (url: string) => Promise<Response>;

  constructor(private readonly opts: IntakeAuthOptions) {
    this.fetchFn = opts.fetch ?? ((url) => fetch(url));
  }

  async check(header: string | undefined): Promise<IntakeAuthResult> {
    const m = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header ?? '');
    if (!m?.[1])
      return { ok: false, status: 401, reason: 'An Entra access token is required (Authorization: Bearer …).' };
    const token = m[1];
    let kid: unknown;
    try {
      kid = decodeJwt(token).header.kid;
    } catch {
      return { ok: false, status: 401, reason: 'The token is not a JWT.' };
    }
    try {
      await this.refresh(typeof kid === 'string' && !this.keys.some((k) => k.kid === kid));
    } catch {
      return { ok: false, status: 401, reason: "The authority's signing keys could not be read." };
    }
    let claims: Claims;
    try {
      claims = verifyJwt(token, this.keys, {
        audience: this.opts.audiences,
        clockToleranceSec: 300,
        ...(this.opts.now ? { now: this.opts.now } : {}),
      });
    } catch (e) {
      return {
        ok: false,
        status: 401,
        reason: `The token was rejected (${e instanceof JwtError ? e.reason : 'invalid'}).`,
      };
    }
    const issuers = [this.issuer, `https://sts.windows.net/${this.opts.tenantId}/`];
    if (!issuers.includes(String(claims.iss)) || String(claims.tid ?? this.opts.tenantId) !== this.opts.tenantId) {
      return { ok: false, status: 401, reason: 'The token was issued by another tenant.' };
    }
    const roles = Array.isArray(claims.roles) ? claims.roles : [];
    if (!roles.includes(SEND_ROLE)) {
      return { ok: false, status: 403, reason: `The caller needs the app role ${SEND_ROLE}.` };
    }
    return { ok: true, claims };
  }

  private async refresh(unknownKid: boolean): Promise<void> {
    const now = Date.now();
    const stale = now - this.fetchedAt > 24 * 3600_000;
    // An unknown key id may mean a rotation: look again, but at most once a minute.
    if (this.keys.length > 0 && !stale && !(unknownKid && now - this.fetchedAt > 60_000)) return;
    const base = `${this.opts.authorityHost}/${this.opts.tenantId}`;
    const meta = (await (await this.fetchFn(`${base}/v2.0/.well-known/openid-configuration`)).json()) as {
      issuer?: string;
      jwks_uri?: string;
    };
    if (!meta.jwks_uri) throw new Error('no jwks_uri');
    const jwks = (await (await this.fetchFn(meta.jwks_uri)).json()) as { keys?: PublicJwk[] };
    this.keys = jwks.keys ?? [];
    this.issuer = meta.issuer ?? null;
    this.fetchedAt = now;
  }
}
