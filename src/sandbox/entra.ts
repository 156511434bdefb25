// Simulated Entra sign-in: OpenID metadata, signing keys, the on-behalf-of grant, the
// authorization code flow (authorize.ts), the Graph access tokens it issues (and their check on
// each Graph call), and the tokens Teams SSO or another app would present to the bot. It also
// remembers, per user, consent given and a multi-factor sign-in done in the browser.

import { Claims, JwtError, SigningKey, createSigningKey, signJwt, verifyJwt } from '../auth/jwt';
import { AuthorizationCodeFlow } from './authorize';
import type { FlowUser } from './authorizeCodes';
import { TokenMint } from './entraTokens';
import { Envelope, SimRequest, SimResponse } from './envelope';
import type { Caller } from './graph/access';
import type { CloudName } from './graph/items';
import { graphAudiences } from './graphAudience';
import { assertionIssuers, onBehalfOfGrant } from './oboGrant';
import type { DemoSeed, DemoUser } from './seed';
import { checkSeededRefusal, seededRefusal } from './signInRefusals';

const lower = (s: string): string => s.toLowerCase();
/** How long a multi-factor sign-in satisfies Conditional Access for the user. */
const MFA_SESSION_MS = 8 * 3600_000;

export type Authentication = { kind: 'ok'; claims: Claims } | { kind: 'refused'; response: SimResponse };

export class SimulatedEntra {
  /** On-behalf-of grants answered (success or not). */
  tokenRequests = 0;
  private readonly key: SigningKey = createSigningKey();
  private readonly users = new Map<string, DemoUser>();
  private readonly consented = new Set<string>();
  private readonly mfaUntil = new Map<string, number>();
  private readonly codeFlow: AuthorizationCodeFlow;
  private readonly mint: TokenMint;
  /** Redirect URIs registered for the app; null: any loopback URI. */
  redirectUris: readonly string[] | null = null;
  /** The app's Application ID URIs: what scripts/register-sso-app.js sets, api://botid-{BOT_ID},
   * the sandbox's bot being its SSO app. */
  identifierUris: readonly string[];
  /** The national cloud the tenant plays: its Graph root is an audience Graph takes. */
  cloud: CloudName = 'global';

  constructor(
    private readonly seed: Pick<DemoSeed, 'tenantId' | 'app'>,
    private readonly envelope: Envelope,
    private readonly now: () => number,
    /** Lifetime of issued Graph access tokens. */
    private readonly accessTokenLifetimeSec = 3600,
  ) {
    this.identifierUris = [`api://botid-${seed.app.clientId}`];
    this.mint = new TokenMint(this.key, seed, now, accessTokenLifetimeSec);
    this.codeFlow = new AuthorizationCodeFlow({
      tenantId: seed.tenantId,
      clientId: seed.app.clientId,
      clientSecret: seed.app.clientSecret,
      now,
      users: () => [...this.users.values()],
      hasConsented: (id) => this.consented.has(lower(id)),
      recordConsent: (id) => this.consented.add(lower(id)),
      hasMfaSession: (id) => this.hasMfaSession(id),
      recordMfa: (id) => this.mfaUntil.set(lower(id), this.now() + MFA_SESSION_MS),
      redirectUris: () => this.redirectUris,
      tokensFor: (req, user, scope, mfa, nonce) => this.codeTokens(req, user, scope, mfa, nonce),
      oauthError: (req, status, error, code, text) => this.oauthError(req, status, error, code, text),
    });
  }

  /** Replaces the directory; consent and MFA sessions given in the browser are forgotten. */
  loadUsers(users: readonly DemoUser[]): void {
    for (const u of users) checkSeededRefusal(u);
    this.users.clear();
    this.consented.clear();
    this.mfaUntil.clear();
    this.codeFlow.reset();
    for (const u of users) this.users.set(lower(u.id), u);
  }

  hasUser(id: string): boolean {
    return this.users.has(lower(id));
  }

  userByName(displayName: string): DemoUser | undefined {
    return [...this.users.values()].find((u) => u.displayName === displayName);
  }

  /** The signed-in user of a Graph token: its permissions and the user's directory roles. */
  callerOf(claims: Claims): Caller {
    const id = String(claims.oid ?? '');
    return {
      id,
      scopes: typeof claims.scp === 'string' ? claims.scp.split(' ') : [],
      roles: this.users.get(lower(id))?.roles ?? [],
    };
  }

  private hasMfaSession(id: string): boolean {
    return (this.mfaUntil.get(lower(id)) ?? 0) > this.now();
  }

  /**
   * The token Teams would hand the bot in signin/tokenExchange, for the SSO app `clientId`: v2.0,
   * as its registration asks; `version: '1.0'` for an app that accepts v1.0 tokens (TokenMint.ssoToken).
   */
  issueSsoToken(
    aadObjectId: string,
    clientId: string,
    opts: { expiresInSec?: number; host?: string; version?: '1.0' | '2.0' } = {},
  ): string {
    const user = this.users.get(lower(aadObjectId));
    if (!user) throw new Error(`no user ${aadObjectId}`);
    const { version, ...rest } = opts;
    const v1Host = this.cloud === 'china' ? 'sts.chinacloudapi.cn' : 'sts.windows.net';
    const v1 = { resourceUri: this.identifierUris[0] ?? clientId, issuer: `https://${v1Host}/${this.seed.tenantId}/` };
    return this.mint.ssoToken(user, clientId, this.hasMfaSession(user.id), version === '1.0' ? { ...rest, v1 } : rest);
  }

  /**
   * An app-only access token for another app calling this bot's API (a Logic App's managed
   * identity, say), as Entra issues it: audience the bot's app, roles from its app registration.
   */
  issueAppToken(opts: {
    audience: string;
    roles: readonly string[];
    host?: string;
    appId?: string;
    expiresInSec?: number;
    tenantId?: string;
  }): string {
    const iat = Math.floor(this.now() / 1000);
    const tid = opts.tenantId ?? this.seed.tenantId;
    return signJwt(
      {
        aud: opts.audience,
        iss: `https://${opts.host ?? 'login.sandbox'}/${tid}/v2.0`,
        iat,
        nbf: iat,
        exp: iat + (opts.expiresInSec ?? 3600),
        tid,
        oid: opts.appId ?? '7c1e2b3a-0000-4000-8000-00000000a99a',
        azp: opts.appId ?? '7c1e2b3a-0000-4000-8000-00000000a99a',
        roles: [...opts.roles],
        ver: '2.0',
      },
      this.key,
    );
  }

  /** Checks a Graph call's bearer token: only delegated Graph tokens this tenant issued pass. */
  authenticate(req: SimRequest): Authentication {
    const refuse = (message: string): Authentication => ({
      kind: 'refused',
      response: this.envelope.error(req, 401, 'InvalidAuthenticationToken', message),
    });
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(header);
    if (!m?.[1]) return refuse('Access token is empty.');
    try {
      const claims = verifyJwt(m[1], [this.key.publicJwk], { clockToleranceSec: 0, now: this.now });
      // An SSO token or an app-only token is refused.
      if (claims.typ_sim !== 'graph' || typeof claims.scp !== 'string') {
        return refuse('Access token validation failure. Invalid audience.');
      }
      // A token is for one resource: a delegated token asked for another API (or another Graph
      // root, as tokens of one national cloud are refused by another) is not Graph's
      // (https://learn.microsoft.com/en-us/entra/identity-platform/claims-validation).
      if (!graphAudiences(req, this.cloud).includes(lower(String(claims.aud ?? '')).replace(/\/+$/, ''))) {
        return refuse('Access token validation failure. Invalid audience.');
      }
      return { kind: 'ok', claims };
    } catch (e) {
      const expired = e instanceof JwtError && e.reason === 'expired';
      return refuse(expired ? 'Lifetime validation failed, the token is expired.' : 'Access token validation failure.');
    }
  }

  /** The login endpoints under /{tenant}/, /organizations/ or /common/; null for any other path. */
  handle(req: SimRequest, p: string): SimResponse | null {
    const base = `https://${req.headers.host ?? 'login.sandbox'}`;
    const t = this.seed.tenantId;
    const tenantPrefix = new RegExp(`^/(${t}|organizations|common)/`, 'i');
    if (!tenantPrefix.test(p)) return null;
    const sub = p.replace(tenantPrefix, '/');
    if (req.method === 'GET' && sub === '/v2.0/.well-known/openid-configuration') {
      return this.envelope.json(req, 200, {
        issuer: `${base}/${t}/v2.0`,
        authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
        end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        tenant_region_scope: 'WW',
      });
    }
    if (req.method === 'GET' && sub === '/discovery/v2.0/keys') {
      return this.envelope.json(req, 200, { keys: [this.key.publicJwk] });
    }
    const action = `/${t}/oauth2/v2.0/authorize`;
    if (req.method === 'GET' && sub === '/oauth2/v2.0/authorize') return this.codeFlow.start(req, action);
    if (req.method === 'POST' && sub === '/oauth2/v2.0/authorize') return this.codeFlow.continue(req, action);
    if (req.method === 'POST' && sub === '/oauth2/v2.0/token') {
      const form = new URLSearchParams(req.body ?? '');
      if (form.get('grant_type') === 'authorization_code') return this.codeFlow.redeem(req, form);
      return this.onBehalfOf(req, base);
    }
    return this.envelope.json(req, 404, { error: 'not_found' });
  }

  private oauthError(
    req: SimRequest,
    status: number,
    error: string,
    code: number,
    text: string,
    extra: Record<string, unknown> = {},
  ): SimResponse {
    return this.envelope.json(req, status, this.mint.errorBody(error, code, text, extra));
  }

  private onBehalfOf(req: SimRequest, base: string): SimResponse {
    this.tokenRequests++;
    return onBehalfOfGrant(req, base, {
      clientId: this.seed.app.clientId,
      identifierUris: this.identifierUris,
      tenantId: this.seed.tenantId,
      issuers: assertionIssuers(this.cloud, this.seed.tenantId, [base, 'https://login.sandbox']),
      clientSecret: this.seed.app.clientSecret,
      publicJwk: this.key.publicJwk,
      now: this.now,
      userById: (id) => this.users.get(lower(id)),
      hasConsented: (id) => this.consented.has(lower(id)),
      hasMfaSession: (id) => this.hasMfaSession(id),
      oauthError: (status, error, code, text, extra) => this.oauthError(req, status, error, code, text, extra),
      tokenBody: (user, resource, mfa) => this.mint.graphTokenBody(user, resource, base, mfa),
      json: (status, payload) => this.envelope.json(req, status, payload),
    });
  }

  /** The token response of an authorization code redemption: a Graph token and an id token. */
  private codeTokens(
    req: SimRequest,
    flowUser: FlowUser,
    scope: string,
    mfa: boolean,
    nonce: string | null,
  ): SimResponse {
    const user = this.users.get(lower(flowUser.id));
    if (!user)
      return this.oauthError(req, 400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
    // The same refusals as the on-behalf-of grant's (signInRefusals.ts): Entra checks them when it
    // issues the token.
    const refused = seededRefusal(user);
    if (refused) return this.oauthError(req, refused.status, refused.error, refused.code, refused.text, refused.extra);
    const base = `https://${req.headers.host ?? 'login.sandbox'}`;
    // Graph scopes come as https://graph.../Permission (or bare names, meaning Graph).
    const full = scope.split(/\s+/).find((s) => /^https?:\/\/[^/]+\/./.test(s));
    const resource = full ? new URL(full).origin : base;
    const body = this.mint.graphTokenBody(user, resource, base, mfa);
    // "id_token ... Only provided if openid scope was requested" (v2-oauth2-auth-code-flow).
    if (!scope.split(/\s+/).includes('openid')) return this.envelope.json(req, 200, body);
    return this.envelope.json(req, 200, { ...body, id_token: this.mint.idToken(user, base, nonce) });
  }
}
