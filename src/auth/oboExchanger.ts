// The on-behalf-of exchange of the Teams SSO token for a Microsoft Graph token, through
// @azure/msal-node's ConfidentialClientApplication (the SSO app and its secret), with a deadline
// on the call. MSAL keeps what Entra says when the exchange cannot succeed silently: the error
// code (consent, MFA) and, for MFA or Conditional Access, the claims challenge, which the sign-in
// page must send on the authorize request so Entra asks for exactly what is missing.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow#error-response-example
// https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge
// A fresh client per exchange: MSAL's in-memory cache never accumulates users' tokens.

import { ConfidentialClientApplication, Configuration } from '@azure/msal-node';
import { SignInRequiredError, UpstreamError } from '../domain/errors';
import type { SsoApp } from '../config';
import { msalConfiguration } from './codeRedeemer';
import { entraRefusal, personRefusal, tokenEndpointRefusal } from './entraRefusals';
import { AuthorityUnreachableError, DeadlineHttpClient } from './msalHttp';
import { ClaimsChallengeError, DelegatedToken, OboExchanger, reasonOfOAuthError, reasonOfRefusal } from './tokens';

export interface MsalOboExchangerOptions {
  /** https sign-in host without a trailing slash. */
  readonly authorityHost: string;
  /** Microsoft Graph root: the token is for `${graphEndpoint}/.default`. */
  readonly graphEndpoint: string;
  readonly timeoutMs?: number;
  /** Extra CA to trust for a private authority (tests). */
  readonly ca?: string;
}

export class MsalOboExchanger implements OboExchanger {
  private readonly configuration: Configuration;
  private readonly scope: string;

  constructor(app: SsoApp, options: MsalOboExchangerOptions) {
    this.configuration = msalConfiguration(
      app,
      options.authorityHost,
      new DeadlineHttpClient(options.timeoutMs ?? 10_000, options.ca),
    );
    this.scope = `${options.graphEndpoint.replace(/\/+$/, '')}/.default`;
  }

  async exchange(ssoToken: string): Promise<DelegatedToken> {
    const app = new ConfidentialClientApplication(this.configuration);
    let result;
    try {
      result = await app.acquireTokenOnBehalfOf({ oboAssertion: ssoToken, scopes: [this.scope], skipCache: true });
    } catch (e) {
      throw oboFailure(e);
    }
    if (!result?.accessToken) throw new SignInRequiredError('Sign-in did not complete (unknown).', 'unknown');
    return {
      token: result.accessToken,
      expiresOnTimestamp: result.expiresOn?.getTime() ?? Date.now() + 5 * 60_000,
    };
  }
}

/** MSAL's error as the bot's: unreachable is UpstreamError; Entra's refusal a sign-in error. */
export function oboFailure(e: unknown): Error {
  const code = (e as { errorCode?: unknown } | null)?.errorCode;
  // MSAL reports its network client's failure (no answer, or no answer in time) as network_error.
  // Entra's temporarily_unavailable and server_error say "Retry the request": Entra cannot serve
  // now, which the person meets as they would an unreachable Entra, by trying again in a moment
  // (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-token-endpoint-errors).
  if (
    e instanceof AuthorityUnreachableError ||
    causedBy(e, AuthorityUnreachableError) ||
    code === 'network_error' ||
    code === 'temporarily_unavailable' ||
    code === 'server_error'
  ) {
    return new UpstreamError('The sign-in service could not be reached. Try again in a minute.');
  }
  const f = e as {
    errorCode?: unknown;
    subError?: unknown;
    claims?: unknown;
    correlationId?: unknown;
  };
  const claims = typeof f.claims === 'string' && f.claims !== '' ? f.claims : null;
  // What Entra's number says (entraRefusals.ts). A refusal of the person (not assigned to the app,
  // an account Entra does not have or has disabled, a Teams token it does not take for this app,
  // cross-tenant access settings) is told as such whatever OAuth `error` comes with it; otherwise
  // the `error` that refuses the app or its request, whatever the number: no sign-in by the person
  // mends it. Not `malformed` (invalid_request): it may be the Teams token itself, which the
  // sign-in page does without. With no number the bot knows, the OAuth `error` says what it can.
  const byNumber = entraRefusal(e);
  const refusal = tokenEndpointRefusal(f.errorCode);
  const classified = personRefusal(byNumber)
    ? byNumber
    : refusal === 'app' || refusal === 'request'
      ? 'configuration'
      : byNumber
        ? reasonOfRefusal(byNumber)
        : reasonOfOAuthError([f.errorCode, f.subError]);
  // A Conditional Access block with a claims challenge: the sign-in page sends the challenge and
  // Entra asks for what the policy needs, as for MFA
  // (https://learn.microsoft.com/en-us/entra/identity-platform/v2-conditional-access-dev-guide);
  // unless its suberror is message_only, which no sign-in can resolve (MSAL's
  // UiRequiredExceptionClassification.MessageOnly): the challenge would meet the same block.
  const messageOnly = f.subError === 'message_only';
  const reason = classified === 'blocked' && claims && !messageOnly ? 'mfa' : classified;
  const message = `Sign-in did not complete (${reason}).`;
  if (claims && reason !== 'blocked') return new ClaimsChallengeError(message, reason, claims);
  return new SignInRequiredError(
    message,
    reason,
    undefined,
    reason === 'blocked' ? correlationOf(f.correlationId) : null,
  );
}

/** Entra's correlation id, only when it is a GUID (it is shown to the user). */
function correlationOf(id: unknown): string | null {
  return typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    ? id
    : null;
}

function causedBy(e: unknown, type: new (...args: never[]) => Error): boolean {
  for (let c = (e as { cause?: unknown } | null)?.cause, depth = 0; c && depth < 5; depth++) {
    if (c instanceof type) return true;
    c = (c as { cause?: unknown }).cause;
  }
  return false;
}
