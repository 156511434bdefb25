// The on-behalf-of exchange of the handler rigs, against the simulated tenant's token endpoint in
// process (no sockets): Entra's refusals (AADSTS codes, claims challenges) become the same errors the
// production exchanger throws. Entra's answer is kept as MSAL keeps it (its first `error_codes`
// number as `errorNo`, the OAuth `error`, suberror and claims challenge: msal-common's
// ResponseHandler.validateTokenResponse) and read by the production exchanger's own reader
// (oboFailure): the number first, the OAuth `error` otherwise.

import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { oboFailure } from '../../src/auth/oboExchanger';
import { DelegatedToken, OboExchanger } from '../../src/auth/tokens';
import { SimulatedTenant } from '../../src/sandbox/tenant';

interface EntraAnswer {
  readonly access_token?: string;
  readonly expires_in?: number;
  readonly error?: string;
  readonly error_description?: string;
  readonly error_codes?: readonly number[];
  readonly suberror?: string;
  readonly claims?: string;
  readonly correlation_id?: string;
}

// What makes MSAL throw InteractionRequiredAuthError rather than ServerError (msal-common
// InteractionRequiredAuthError.ts, isInteractionRequiredError): the OAuth `error`, or its suberror.
const INTERACTION_ERRORS = ['interaction_required', 'consent_required', 'login_required', 'bad_token'];
const INTERACTION_SUBERRORS = [
  'message_only',
  'additional_action',
  'basic_action',
  'user_password_expired',
  'consent_required',
  'bad_token',
];

/** Entra's refusal as MSAL throws it (ResponseHandler.validateTokenResponse): errorNo from
 * `error_codes`; InteractionRequiredAuthError, with the claims challenge, for an answer that asks
 * for the person; ServerError, which keeps no claims, otherwise. */
export function msalErrorOf(body: EntraAnswer): Error {
  const errorNo = body.error_codes?.length ? String(body.error_codes[0]) : undefined;
  const error = body.error ?? '';
  const correlationId = body.correlation_id ?? '';
  const sub = body.suberror ?? '';
  if (INTERACTION_ERRORS.includes(error) || INTERACTION_SUBERRORS.includes(sub)) {
    return new InteractionRequiredAuthError(
      error,
      correlationId,
      body.error_description,
      body.suberror,
      '',
      '',
      body.claims ?? '',
      errorNo,
    );
  }
  return new ServerError(error, correlationId, body.error_description, body.suberror, errorNo);
}

export class TenantObo implements OboExchanger {
  /** `graph` is the Graph endpoint the tokens are for (its host is the tenant's host). */
  constructor(
    private readonly tenant: SimulatedTenant,
    private readonly graph: string,
  ) {}

  async exchange(ssoToken: string): Promise<DelegatedToken> {
    const seed = this.tenant.seed;
    const form = new URLSearchParams({
      client_id: seed.app.clientId,
      client_secret: seed.app.clientSecret,
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      assertion: ssoToken,
      scope: `${this.graph}/.default openid profile offline_access`,
    });
    const res = this.tenant.handle({
      method: 'POST',
      url: `/${seed.tenantId}/oauth2/v2.0/token`,
      headers: { host: new URL(this.graph).host, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const body = JSON.parse(res.body ?? '{}') as EntraAnswer;
    if (res.status !== 200 || !body.access_token) throw oboFailure(msalErrorOf(body));
    return { token: body.access_token, expiresOnTimestamp: Date.now() + (body.expires_in ?? 3600) * 1000 };
  }
}
