// Who may post notifications: an Entra access token for this bot's app, issued by the configured
// tenant, signed with a key the authority publishes, carrying the Notifications.Send app role.
// Validation follows the Microsoft identity platform's access-token guidance
// (https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-tokens and
// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference): the
// signature against the keys named by the tenant's OpenID metadata, `aud` this app, `iss` the
// tenant on either token version, `exp`/`nbf` with clock skew, the app role in `roles`.
// jose does the cryptography and the key-set caching (refetch on an unknown `kid`, with cooldown).
// It is loaded with the first token to check, not at start: only the intake uses it, and a
// process that is never sent a notification does not keep it resident.

import type { JWTPayload, createRemoteJWKSet } from 'jose';

type Jose = typeof import('jose');

let jose: Promise<Jose> | null = null;

/** jose, loaded once, the first time a token is checked. A load that failed (the process out of
 * file descriptors, say) fails the request that met it (503) and is tried again by the next one:
 * kept, it would refuse every notification until a restart. */
function loadJose(): Promise<Jose> {
  jose ??= import('jose').catch((e: unknown) => {
    jose = null;
    throw e;
  });
  return jose;
}

const SEND_ROLE = 'Notifications.Send';

export type IntakeAuthResult =
  | { readonly ok: true; readonly claims: JWTPayload }
  | { readonly ok: false; readonly status: 401 | 403 | 503; readonly reason: string };

export type IntakeFetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface IntakeAuthOptions {
  readonly authorityHost: string;
  readonly tenantId: string;
  /** Accepted audiences: the SSO app's client id and its Application ID URIs. */
  readonly audiences: readonly string[];
  readonly fetch?: IntakeFetch;
  /** Deadline for reading the metadata or the keys (default 5 s). */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/** v1.0 tokens name the security token service of the cloud, not the sign-in host. */
const V1_ISSUER_HOSTS: Readonly<Record<string, string>> = {
  'login.chinacloudapi.cn': 'sts.chinacloudapi.cn',
  'login.partner.microsoftonline.cn': 'sts.chinacloudapi.cn',
};

/** The issuers of the tenant's tokens: v2.0 (`{authority}/{tid}/v2.0`) and v1.0 (`https://sts…/{tid}/`). */
export function tenantIssuers(authorityHost: string, tenantId: string, metadataIssuer?: string): string[] {
  const v1Host = V1_ISSUER_HOSTS[new URL(authorityHost).hostname] ?? 'sts.windows.net';
  const issuers = [`${authorityHost}/${tenantId}/v2.0`, `https://${v1Host}/${tenantId}/`];
  // Tenant-specific metadata names the tenant's own issuer; a template ("{tenantid}") is not one.
  if (metadataIssuer && !metadataIssuer.includes('{') && !issuers.includes(metadataIssuer)) {
    issuers.push(metadataIssuer);
  }
  return issuers;
}

/** Entra's metadata or keys could not be read: the caller may try again, the token was not judged. */
class KeysUnavailableError extends Error {
  constructor() {
    super("The tenant's signing keys could not be read.");
    this.name = 'KeysUnavailableError';
  }
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

const UNAVAILABLE = "Entra ID's signing keys could not be read; try again later.";

export class IntakeAuthenticator {
  private verifier: { keys: KeySet; issuers: string[]; tenantId: string } | null = null;
  private readonly fetchFn: IntakeFetch;
  private readonly timeoutMs: number;

  constructor(private readonly opts: IntakeAuthOptions) {
    this.fetchFn = opts.fetch ?? ((url, init) => fetch(url, init));
    this.timeoutMs = opts.timeoutMs ?? 5_000;
  }

  async check(header: string | undefined): Promise<IntakeAuthResult> {
    // The scheme's name is case-insensitive, and one or more spaces may precede the token
    // (RFC 9110 §11.1, RFC 6750 §2.1).
    const m = /^Bearer +([A-Za-z0-9._-]+)$/i.exec(header ?? '');
    if (!m?.[1])
      return { ok: false, status: 401, reason: 'An Entra access token is required (Authorization: Bearer …).' };
    const { jwtVerify, errors } = await loadJose();
    let claims: JWTPayload;
    let tenantId: string;
    try {
      const verifier = await this.discover();
      const { keys, issuers } = verifier;
      tenantId = verifier.tenantId;
      const verified = await jwtVerify(m[1], (h, t) => this.withDeadline(() => keys(h, t), errors), {
        algorithms: ['RS256'],
        audience: [...this.opts.audiences],
        issuer: issuers,
        requiredClaims: ['exp'],
        clockTolerance: 300,
        ...(this.opts.now ? { currentDate: new Date(this.opts.now()) } : {}),
      });
      claims = verified.payload;
    } catch (e) {
      if (e instanceof KeysUnavailableError) return { ok: false, status: 503, reason: UNAVAILABLE };
      return { ok: false, status: 401, reason: rejection(e, errors) };
    }
    if (claims.tid !== undefined && String(claims.tid).toLowerCase() !== tenantId.toLowerCase()) {
      return { ok: false, status: 401, reason: 'The token was issued by another tenant.' };
    }
    // The role is for applications: a user's token (scp, or idtyp "user") is never one, even if
    // the role were also granted to users.
    // https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-the-user-has-permission-to-access-this-data
    if (claims.scp !== undefined || (claims.idtyp !== undefined && claims.idtyp !== 'app')) {
      return { ok: false, status: 403, reason: 'An application token is required; this is a user token.' };
    }
    // An access token names the client that asked for it (`azp` in v2.0, `appid` in v1.0); an ID
    // token, signed with the same keys, issued by the same tenant and addressed to this app's
    // client id, names none, yet carries the `roles` assigned to its user. It is proof of a
    // sign-in for the client, never a credential for an API.
    // https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
    // https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference
    if (!namesClient(claims)) {
      return { ok: false, status: 401, reason: 'The token is not an access token (it names no client: azp or appid).' };
    }
    const roles = Array.isArray(claims.roles) ? claims.roles : [];
    if (!roles.includes(SEND_ROLE)) {
      return { ok: false, status: 403, reason: `The caller needs the app role ${SEND_ROLE}.` };
    }
    return { ok: true, claims };
  }

  /** The tenant's OpenID metadata, read once: where its keys are and what it calls itself. */
  private async discover(): Promise<{ keys: KeySet; issuers: string[]; tenantId: string }> {
    if (this.verifier) return this.verifier;
    const j = await loadJose();
    const url = `${this.opts.authorityHost}/${this.opts.tenantId}/v2.0/.well-known/openid-configuration`;
    const meta = await this.withDeadline(async (signal) => {
      const res = await this.fetchFn(url, { signal, redirect: 'error' });
      if (res.status !== 200) throw new Error(`metadata answered ${res.status}`);
      return (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
    }, j.errors);
    if (typeof meta.jwks_uri !== 'string' || !URL.canParse(meta.jwks_uri)) throw new KeysUnavailableError();
    const keys = j.createRemoteJWKSet(new URL(meta.jwks_uri), {
      timeoutDuration: this.timeoutMs,
      [j.customFetch]: (u, init) => this.fetchFn(u, init),
    });
    const issuer = typeof meta.issuer === 'string' ? meta.issuer : undefined;
    // AAD_APP_TENANT_ID may be a domain (contoso.onmicrosoft.com), but tokens name the tenant by its
    // GUID (`tid`, and inside `iss`): take the GUID from the tenant's own metadata issuer.
    const tenantId = tenantGuidOf(issuer) ?? this.opts.tenantId;
    this.verifier = { keys, issuers: tenantIssuers(this.opts.authorityHost, tenantId, issuer), tenantId };
    return this.verifier;
  }

  /** Runs a read of Entra's documents with a deadline; any failure is "keys unavailable". */
  private async withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, errors: Jose['errors']): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // The race also ends a fetch that ignores its abort signal.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new KeysUnavailableError());
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([work(controller.signal), deadline]);
    } catch (e) {
      if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) throw e;
      throw new KeysUnavailableError();
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The calling client's id, as an access token of either version carries it. */
function namesClient(claims: JWTPayload): boolean {
  const client = claims.azp ?? claims.appid;
  return typeof client === 'string' && client !== '';
}

/** Why jose refused the token, in words safe to answer (never the token or its claims). */
function rejection(e: unknown, errors: Jose['errors']): string {
  if (e instanceof errors.JWTExpired) return 'The token was rejected (expired).';
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'iss') return 'The token was issued by another tenant.';
    if (e.claim === 'aud') return 'The token was rejected (audience).';
    return `The token was rejected (${e.claim}).`;
  }
  if (e instanceof errors.JWKSNoMatchingKey) return 'The token was rejected (unknownKey).';
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'The token was rejected (badSignature).';
  if (e instanceof errors.JOSEAlgNotAllowed) return 'The token was rejected (algorithm).';
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return 'The token is not a JWT.';
  return 'The token was rejected (invalid).';
}

/** The tenant GUID in a v2.0 issuer (`https://login.microsoftonline.com/{guid}/v2.0`), if any.
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference */
function tenantGuidOf(issuer: string | undefined): string | null {
  const m = /\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0\/?$/i.exec(issuer ?? '');
  return m?.[1] ?? null;
}
