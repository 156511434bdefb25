// A Conditional Access policy that blocks a user (the seed flag accessBlocked, AADSTS53003): the
// simulated tenant's authorize endpoint sends the browser back to the app's redirect URI with the
// error, and the bot's sign-in end page says that the organisation's policy blocked the sign-in,
// without a token, a state for Teams, a file path or Entra's own text. In process: the real
// handler, the bot's sign-in pages and the simulated tenant's endpoints (signInFlowSession.ts).
// Microsoft docs pinned here:
// - Authorization code flow, "Error response" and "Error codes for authorization endpoint errors":
//   the error goes back to the redirect_uri with error, error_description and state; access_denied
//   is the code of a refusal the app cannot change:
//   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-response
// - AADSTS53003 "Access has been blocked by Conditional Access policies. The access policy does
//   not allow token issuance.": https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes

import { strict as assert } from 'node:assert';
import { SignInBrowser, bodyData } from '../fixtures/signInBrowser';
import { Rig } from './botRig';
import { named, oauthOf, signInFlowSession } from './signInFlowSession';

const BLOCKED = 'Megan Bowen';
const COMMAND = (r: Rig) => `cancel access-request ${r.seed.selfService.consentUserAccessRequestId}`;

describe('sign-in blocked by Conditional Access (AADSTS53003): the tenant page and the end page', function () {
  this.timeout(20_000);
  const session = signInFlowSession((seed) => ({
    ...seed,
    users: seed.users.map((u) => (u.displayName === BLOCKED ? { ...u, accessBlocked: true } : u)),
  }));
  let rigs: Rig[];
  let browser: SignInBrowser;
  beforeEach(() => {
    ({ rigs, browser } = session);
  });

  it('the authorize endpoint redirects back with access_denied, AADSTS53003 and the state', async () => {
    const r = rigs[0]!;
    const megan = named(r, BLOCKED);
    const first = await r.message(megan, COMMAND(r));
    await browser.signIn(oauthOf(first.sent).url, { userId: megan.aadObjectId });
    const authorize = new URL(browser.visited.find((u) => u.includes('/oauth2/v2.0/authorize')) ?? 'x:');
    const back = new URL(browser.visited.find((u) => u.startsWith(`${session.base}/auth/end`)) ?? 'x:');
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.match(
      back.searchParams.get('error_description') ?? '',
      /^AADSTS53003: Access has been blocked by Conditional Access policies/,
    );
    assert.ok(authorize.searchParams.get('state'), 'the authorize request carries a state');
    assert.equal(back.searchParams.get('state'), authorize.searchParams.get('state'));
    assert.equal(back.searchParams.get('code'), null, 'no code for a blocked user');
  });

  it('the end page says the organisation’s Conditional Access policy blocked it; no token, state, path or Entra text', async () => {
    const r = rigs[0]!;
    const megan = named(r, BLOCKED);
    const first = await r.message(megan, COMMAND(r));
    const end = await browser.signIn(oauthOf(first.sent).url, { userId: megan.aadObjectId });
    assert.equal(bodyData(end.body, 'outcome'), 'failure', end.body);
    assert.equal(bodyData(end.body, 'reason'), 'access_blocked');
    assert.equal(bodyData(end.body, 'state'), null, 'no state for Teams');
    assert.match(end.body, /Conditional Access policy blocked this sign-in/);
    assert.match(end.body, /contact your administrator/);
    assert.doesNotMatch(end.body, /select Sign in again/i);
    assert.doesNotMatch(
      end.body,
      /AADSTS|Trace ID|Correlation ID|Access has been blocked/,
      "Entra's text is not repeated",
    );
    assert.doesNotMatch(end.body, /eyJ[A-Za-z0-9_-]{10,}/, 'no token');
    assert.doesNotMatch(
      end.body,
      /\/(?:work|home|tmp|usr)\/|node_modules|\.ts:\d+|\.js:\d+|\bat \w+ \(/,
      'no path or stack',
    );
    assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null);
  });
});
