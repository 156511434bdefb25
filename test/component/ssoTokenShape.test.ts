// The simulated tenant hands the bot SSO tokens of a shape Entra issues, and the bot takes each
// shape Teams can deliver. Entra issues an API's access tokens in the version its registration
// accepts (accessTokenAcceptedVersion), whatever endpoint the client asked; "aud ... In v2.0
// tokens, this value is always the client ID of the API. In v1.0 tokens, it can be the client ID
// or the resource URI used in the request", iss `{authority}/{tid}/v2.0` for v2.0 and
// `https://sts.windows.net/{tid}/` for v1.0
// (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference).
// Teams' bot SSO registration sets accessTokenAcceptedVersion to 2
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-register-aad,
// "Configure access token version"), as scripts/register-sso-app.js does: the token Teams hands
// the bot is v2.0 with the SSO app's client id as aud. An app registered to accept v1.0 tokens
// gets aud api://botid-{BOT_ID} (the manifest's webApplicationInfo.resource) from sts.windows.net.

import { strict as assert } from 'node:assert';
import { MsalOboExchanger } from '../../src/auth/oboExchanger';
import { subjectProblem } from '../../src/auth/tokenSubject';
import type { SimulatedEntra } from '../../src/sandbox/entra';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { TenantServer, startTenantServer } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';

describe('the SSO token of the simulated Teams: its shape, and the bot takes it', () => {
  let tls: LoopbackCertificate;
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let server: TenantServer;

  before(async () => {
    tls = await generateLoopbackCertificate();
  });
  beforeEach(async () => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed);
    server = await startTenantServer({ tenant, cert: tls.cert, key: tls.key });
  });
  afterEach(() => server.close());

  const megan = () => seed.users.find((u) => u.displayName === 'Megan Bowen')!;
  const exchanger = () =>
    new MsalOboExchanger(
      { clientId: seed.app.clientId, clientSecret: seed.app.clientSecret, tenantId: seed.tenantId },
      { authorityHost: server.url, graphEndpoint: server.url, ca: tls.ca },
    );
  /** The bot's two steps with an SSO token: bind it to the activity's user, then exchange it. */
  const botTakes = async (sso: string) => {
    assert.equal(subjectProblem(sso, { aadObjectId: megan().id, tenantId: seed.tenantId }), null);
    const graph = await exchanger().exchange(sso);
    assert.equal(tenant.decode(graph.token).oid, megan().id);
  };

  it('is a v2.0 token for the SSO app: aud its client id, iss the tenant’s v2.0 issuer', async () => {
    const claims = tenant.decode(tenant.issueSsoToken(megan().id, seed.app.clientId));
    assert.equal(claims.ver, '2.0');
    assert.equal(claims.aud, seed.app.clientId, 'In v2.0 tokens, this value is always the client ID of the API');
    assert.equal(claims.iss, `https://login.sandbox/${seed.tenantId}/v2.0`);
    assert.equal(claims.scp, 'access_as_user');
    assert.equal(claims.azp, '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', 'asked for by the Teams web client');
    await botTakes(tenant.issueSsoToken(megan().id, seed.app.clientId, { host: new URL(server.url).host }));
  });

  it('of an app that accepts v1.0 tokens: aud the Application ID URI, iss sts.windows.net; the bot takes it too', async () => {
    const entra = (tenant as unknown as { entra: SimulatedEntra }).entra;
    const v1 = entra.issueSsoToken(megan().id, seed.app.clientId, { version: '1.0' });
    const claims = tenant.decode(v1);
    assert.equal(claims.ver, '1.0');
    assert.equal(claims.aud, `api://botid-${seed.app.clientId}`);
    assert.equal(claims.iss, `https://sts.windows.net/${seed.tenantId}/`);
    assert.equal(claims.appid, '5e3ce6c0-2b1f-4285-8d4b-75ee78787346');
    await botTakes(v1);
  });
});
