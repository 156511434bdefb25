// The authorization code flow with PKCE of the simulated Entra, for the bot's sign-in fallback:
// GET /{tenant}/oauth2/v2.0/authorize starts an interactive flow (pick the account, consent when
// the user has not or prompt=consent asks, MFA when Conditional Access or a claims challenge asks),
// then redirects to the app with a code; the token endpoint redeems the code once, within its
// lifetime, for the client and redirect URI it was issued to, with the PKCE verifier.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow

import { randomInt, randomUUID } from 'node:crypto';
import { CodeDeps, CodeStore, FlowUser } from './authorizeCodes';
import { allowingRedirectTo, consentPage, errorPage, mfaPage, pickPage, redirect } from './authorizePages';
import type { SimRequest, SimResponse } from './envelope';
import { BLOCKED } from './oboGrant';

const FLOW_LIFETIME_MS = 15 * 60_000;

/** What the flow needs from the rest of the simulated Entra. */
export interface AuthorizeDeps extends CodeDeps {
  readonly tenantId: string;
  readonly users: () => readonly FlowUser[];
  readonly hasConsented: (userId: string) => boolean;
  readonly recordConsent: (userId: string) => void;
  readonly hasMfaSession: (userId: string) => boolean;
  readonly recordMfa: (userId: string) => void;
  /** Redirect URIs registered for the app; null: the demo app's loopback end page, on any port
   * (the sandbox's ports vary). */
  readonly redirectUris: () => readonly string[] | null;
}

interface Flow {
  readonly id: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly state: string | null;
  readonly nonce: string | null;
  readonly codeChallenge: string;
  readonly prompt: string | null;
  readonly claimsChallenge: boolean;
  readonly loginHint: string | null;
  readonly expiresAt: number;
  userId: string | null;
  consentDone: boolean;
  mfaDone: boolean;
  readonly otp: string;
}

/**
 * The demo app's registered redirect URI when none is set: the bot's sign-in end page on loopback,
 * http(s)://localhost/auth/end or 127.0.0.1. Entra ignores only the port of a loopback redirect URI,
 * never its path ("http://localhost/MyWebApp doesn't match http://localhost/MyNativeApp"), compares
 * it case-sensitively, and takes no IPv6 loopback
 * (https://learn.microsoft.com/en-us/entra/identity-platform/reply-url#localhost-exceptions).
 */
const DEMO_LOOPBACK_REDIRECT = /^https?:\/\/(?:127\.0\.0\.1|localhost)(?::\d{1,5})?\/auth\/end$/;

export class AuthorizationCodeFlow {
  private readonly flows = new Map<string, Flow>();
  private readonly codes: CodeStore;

  constructor(private readonly d: AuthorizeDeps) {
    this.codes = new CodeStore(d);
  }

  /** Forgets every flow and code (the tenant was reloaded). */
  reset(): void {
    this.flows.clear();
    this.codes.reset();
  }

  /** GET authorize: validate, then the first page. */
  start(req: SimRequest, action: string): SimResponse {
    const q = new URLSearchParams(req.url.split('?', 2)[1] ?? '');
    if (q.get('client_id') !== this.d.clientId) {
      return errorPage(
        700016,
        `Application with identifier '${q.get('client_id') ?? ''}' was not found in the directory.`,
      );
    }
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!this.redirectAllowed(redirectUri)) {
      return errorPage(
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${this.d.clientId}'.`,
      );
    }
    const state = q.get('state');
    const fail = (error: string, code: number, text: string): SimResponse =>
      redirect(redirectUri, {
        error,
        error_description: `AADSTS${code}: ${text}`,
        ...(state !== null ? { state } : {}),
      });
    if (q.get('response_type') !== 'code') {
      return fail(
        'unsupported_response_type',
        70005,
        "The provided value for the input parameter 'response_type' is not allowed for this request.",
      );
    }
    const scope = q.get('scope') ?? '';
    if (scope.trim() === '') {
      return fail('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
    }
    const codeChallenge = q.get('code_challenge') ?? '';
    if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge) || q.get('code_challenge_method') !== 'S256') {
      return fail(
        'invalid_request',
        501491,
        'Proof Key for Code Exchange is required: send code_challenge with code_challenge_method S256.',
      );
    }
    const claims = q.get('claims');
    let claimsChallenge = false;
    if (claims !== null) {
      try {
        const parsed = JSON.parse(claims) as Record<string, unknown>;
        claimsChallenge = typeof parsed === 'object' && parsed !== null && 'access_token' in parsed;
      } catch {
        return fail('invalid_request', 90014, "The 'claims' parameter is not valid JSON.");
      }
    }
    const prompt = q.get('prompt');
    // login_hint "can be used to prefill the username/email address field of the sign-in page"
    // (v2-oauth2-auth-code-flow): a user name, compared as Entra compares UPNs (case aside); an
    // object id or a display name names no account there, so it pre-selects none here either.
    const hintText = (q.get('login_hint') ?? '').toLowerCase();
    const hinted = this.d.users().find((u) => hintText !== '' && u.userPrincipalName.toLowerCase() === hintText);
    const flow: Flow = {
      id: randomUUID(),
      redirectUri,
      scope,
      state,
      nonce: q.get('nonce'),
      codeChallenge,
      prompt,
      claimsChallenge,
      loginHint: hinted?.id ?? null,
      expiresAt: this.d.now() + FLOW_LIFETIME_MS,
      userId: null,
      consentDone: false,
      mfaDone: false,
      otp: String(randomInt(0, 1_000_000)).padStart(6, '0'),
    };
    if (prompt === 'none') {
      // No page may be shown: only a hinted user with nothing left to ask passes.
      if (!hinted) return fail('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.');
      flow.userId = hinted.id;
      if (this.needsConsent(flow, hinted))
        return fail('consent_required', 65001, 'The user has not consented to the application.');
      if (this.needsMfa(flow, hinted))
        return fail('interaction_required', 50076, 'Multi-factor authentication is required.');
    }
    this.sweep();
    this.flows.set(flow.id, flow);
    return this.next(flow, action);
  }

  /** POST authorize: a page's form came back. */
  continue(req: SimRequest, action: string): SimResponse {
    const f = new URLSearchParams(req.body ?? '');
    const flow = this.flows.get(f.get('flow') ?? '');
    if (!flow || flow.expiresAt <= this.d.now()) {
      return errorPage(50058, 'The sign-in session is not valid or has expired. Start again from the app.');
    }
    const step = f.get('step');
    if (step === 'pick') {
      const user = this.d.users().find((u) => u.id === f.get('user'));
      if (!user) return this.next(flow, action);
      flow.userId = user.id;
    } else if (step === 'consent' && flow.userId) {
      if (f.get('decision') !== 'accept') {
        this.flows.delete(flow.id);
        return redirect(flow.redirectUri, {
          error: 'access_denied',
          error_description: 'AADSTS65004: User declined to consent to access the app.',
          ...(flow.state !== null ? { state: flow.state } : {}),
        });
      }
      // Consent is recorded when given: later on-behalf-of exchanges for this user succeed.
      this.d.recordConsent(flow.userId);
      flow.consentDone = true;
    } else if (step === 'mfa' && flow.userId) {
      const user = this.userOf(flow);
      if (user && f.get('otp') !== flow.otp) {
        return allowingRedirectTo(mfaPage(action, flow.id, user, flow.otp, true), flow.redirectUri);
      }
      this.d.recordMfa(flow.userId);
      flow.mfaDone = true;
    }
    return this.next(flow, action);
  }

  /** grant_type=authorization_code at the token endpoint. */
  redeem(req: SimRequest, form: URLSearchParams): SimResponse {
    return this.codes.redeem(req, form);
  }

  private next(flow: Flow, action: string): SimResponse {
    return allowingRedirectTo(this.step(flow, action), flow.redirectUri);
  }

  private step(flow: Flow, action: string): SimResponse {
    const user = this.userOf(flow);
    if (!user) return pickPage(action, flow.id, this.d.users(), flow.loginHint);
    if (user.accessBlocked) {
      // Conditional Access blocks this user: no page can meet it, so the flow ends with the error.
      this.flows.delete(flow.id);
      return redirect(flow.redirectUri, {
        error: 'access_denied',
        error_description: `AADSTS53003: ${BLOCKED}`,
        ...(flow.state !== null ? { state: flow.state } : {}),
      });
    }
    if (this.needsConsent(flow, user)) {
      return consentPage(
        action,
        flow.id,
        user,
        'Governance Bot',
        flow.scope.split(/\s+/).filter((s) => s !== ''),
      );
    }
    if (this.needsMfa(flow, user)) return mfaPage(action, flow.id, user, flow.otp, false);
    this.flows.delete(flow.id);
    const code = this.codes.issue({
      redirectUri: flow.redirectUri,
      userId: user.id,
      scope: flow.scope,
      codeChallenge: flow.codeChallenge,
      nonce: flow.nonce,
      mfa: flow.mfaDone || this.d.hasMfaSession(user.id),
    });
    return redirect(flow.redirectUri, {
      code,
      ...(flow.state !== null ? { state: flow.state } : {}),
      session_state: randomUUID(),
    });
  }

  private needsConsent(flow: Flow, user: FlowUser): boolean {
    if (flow.consentDone) return false;
    return flow.prompt === 'consent' || (user.consent === false && !this.d.hasConsented(user.id));
  }

  private needsMfa(flow: Flow, user: FlowUser): boolean {
    if (flow.mfaDone) return false;
    // A claims challenge asks for a fresh MFA even within a session.
    return flow.claimsChallenge || (user.mfaRequired === true && !this.d.hasMfaSession(user.id));
  }

  private userOf(flow: Flow): FlowUser | undefined {
    return flow.userId ? this.d.users().find((u) => u.id === flow.userId) : undefined;
  }

  private redirectAllowed(uri: string): boolean {
    const registered = this.d.redirectUris();
    if (registered) return registered.includes(uri);
    return DEMO_LOOPBACK_REDIRECT.test(uri);
  }

  private sweep(): void {
    const now = this.d.now();
    for (const [id, f] of this.flows) if (f.expiresAt <= now) this.flows.delete(id);
    this.codes.sweep();
  }
}
