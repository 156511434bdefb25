// The on-behalf-of exchange of the handler rigs, against the simulated tenant's token endpoint in
// process (no sockets): Entra's refusals (AADSTS codes, claims challenges) become the same errors the
// production exchanger throws.

import { ClaimsChallengeError, DelegatedToken, OboExchanger, classifySignInFailure } from '../../src/auth/tokens';
import { SignInRequiredError } from '../../src/domain/errors';
import { SimulatedTenant } from '../../src/sandbox/tenant';

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
    const body = JSON.parse(res.body ?? '{}') as {
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
      claims?: string;
    };
    if (res.status !== 200 || !body.access_token) {
      // As the production exchanger classifies Entra's answer (AADSTS codes), with its claims challenge.
      const reason = classifySignInFailure(`${body.error ?? ''} ${body.error_description ?? ''}`);
      const message = `Sign-in did not complete (${reason}).`;
      if (body.claims) throw new ClaimsChallengeError(message, reason, body.claims);
      throw new SignInRequiredError(message, reason);
    }
    return { token: body.access_token, expiresOnTimestamp: Date.now() + (body.expires_in ?? 3600) * 1000 };
  }
}
