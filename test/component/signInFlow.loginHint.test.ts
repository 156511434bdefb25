// A failed single sign-on exchange, then the card's Sign in: the start page asks Entra to offer the
// account the person uses in Teams first (`login_hint`: the user name of their own Teams SSO token),
// so that a person with several accounts in the browser need not pick or type theirs; the bot's
// link carries only its ids. "Sign in with another account" asks for Entra's picker without a hint.
// In process: the real handler, the bot's sign-in pages and the simulated tenant (signInFlowSession.ts).
// Microsoft docs pinned here:
// - Authorization code flow: `login_hint` "can be used to prefill the username/email address field
//   of the sign-in page", "often extracted from the preferred_username claim"; `prompt=select_account`
//   "interrupts single sign-on providing account selection experience":
//   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code
// - Access token claims (`preferred_username`, `upn`):
//   https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference

import { strict as assert } from 'node:assert';
import { bodyData } from '../fixtures/signInBrowser';
import { consentCommand, named, oauthOf, signInFlowSession, tokenExchange } from './signInFlowSession';
import type { Rig } from './botRig';

/** The last authorize request the browser made (the GET with its query; the pages' forms post back). */
function lastAuthorize(visited: readonly string[]): URL {
  const url = [...visited].reverse().find((u) => u.includes('/oauth2/v2.0/authorize?'));
  assert.ok(url, `an authorize request in ${visited.join(' ')}`);
  return new URL(url);
}

const upnOf = (r: Rig, name: string): string => r.seed.users.find((u) => u.displayName === name)!.userPrincipalName;

describe('sign-in page: login_hint from the person’s own Teams token (handler, pages and simulated tenant)', function () {
  this.timeout(20_000);
  const session = signInFlowSession();

  it('consent missing: the authorize request carries the user’s UPN as login_hint, and Entra’s picker offers that account', async () => {
    const r = session.rigs[0]!;
    const { alex, card } = await consentCommand(r);
    assert.equal((await tokenExchange(r, alex, card.id)).invoke?.status, 412);
    assert.equal(card.url, `${session.base}/auth/start?s=${card.id}`, 'the link carries only its id');

    const end = await session.browser.signIn(card.url, { userId: alex.aadObjectId });
    const authorize = lastAuthorize(session.browser.visited);
    assert.equal(authorize.searchParams.get('login_hint'), upnOf(r, 'Alex Wilber'));
    assert.equal(authorize.searchParams.get('prompt'), 'consent');
    assert.equal(bodyData(end.body, 'outcome'), 'success', end.body);
    // The simulated tenant's picker pre-selects the hinted account, as Entra pre-fills it.
    const pick = await session.browser.request(authorize.toString());
    assert.match(pick.body, new RegExp(`<option value="${alex.aadObjectId}" selected>`));
  });

  it('"Sign in with another account" sends no login_hint, with prompt=select_account', async () => {
    const r = session.rigs[0]!;
    const { alex, card } = await consentCommand(r);
    const megan = named(r, 'Megan Bowen');
    assert.equal((await tokenExchange(r, alex, card.id)).invoke?.status, 412);

    const wrong = await session.browser.signIn(card.url, { userId: megan.aadObjectId });
    assert.equal(bodyData(wrong.body, 'reason'), 'wrong_user');
    const href = /<a href="([^"]+)">Sign in with another account<\/a>/.exec(wrong.body)?.[1]?.replace(/&#38;/g, '&');
    assert.ok(href, wrong.body);
    assert.doesNotMatch(href, /login_hint|@/, 'the link carries only its ids');

    const end = await session.browser.signIn(new URL(href, session.base).toString(), { userId: alex.aadObjectId });
    const authorize = lastAuthorize(session.browser.visited);
    assert.equal(authorize.searchParams.get('prompt'), 'select_account');
    assert.equal(authorize.searchParams.get('login_hint'), null);
    assert.equal(bodyData(end.body, 'outcome'), 'success', end.body);
  });
});

describe('sign-in page: no login_hint for a card every member of the conversation sees', function () {
  this.timeout(20_000);
  // A bot's message in a group chat or a channel is there for every member, and so is its Sign in
  // button, which anyone may open (the start page cannot tell who did): the typer's user name
  // would go to another member's browser, and Entra's page would offer them the typer's account.
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations
  const session = signInFlowSession();

  for (const conversationType of ['groupChat', 'channel'] as const) {
    it(`${conversationType}: the authorize request carries no login_hint, whoever opens the link`, async () => {
      const r = session.rigs[0]!;
      const alex = named(r, 'Alex Wilber');
      const megan = named(r, 'Megan Bowen');
      const shared = {
        conversation: {
          id: `19:${conversationType}@thread.v2`,
          conversationType,
          isGroup: true,
          tenantId: r.seed.tenantId,
          name: '',
        },
      };
      const card = oauthOf(
        (await r.message(alex, `cancel access-request ${r.seed.selfService.consentUserAccessRequestId}`, shared)).sent,
      );
      const exchange = await r.invoke(
        alex,
        'signin/tokenExchange',
        { id: card.id, connectionName: '', token: r.sso(alex) },
        shared,
      );
      assert.equal(exchange.invoke?.status, 412);

      // Another member opens the Sign in link of Alex's card.
      const other = await session.browser.signIn(card.url, { userId: megan.aadObjectId });
      assert.equal(lastAuthorize(session.browser.visited).searchParams.get('login_hint'), null);
      assert.equal(bodyData(other.body, 'reason'), 'wrong_user');
      // Alex himself: no hint either, and the sign-in completes.
      const end = await session.browser.signIn(card.url, { userId: alex.aadObjectId });
      assert.equal(lastAuthorize(session.browser.visited).searchParams.get('login_hint'), null);
      assert.equal(bodyData(end.body, 'outcome'), 'success', end.body);
    });
  }
});

describe('sign-in page: no login_hint when the Teams token names no usable user name', function () {
  this.timeout(20_000);
  // Alex's user name in his tokens is not user@domain: no hint is better than a wrong one.
  const session = signInFlowSession((seed) => ({
    ...seed,
    users: seed.users.map((u) => (u.displayName === 'Alex Wilber' ? { ...u, userPrincipalName: 'Alex Wilber' } : u)),
  }));

  it('the authorize request carries no login_hint', async () => {
    const r = session.rigs[0]!;
    const { alex, card } = await consentCommand(r);
    assert.equal((await tokenExchange(r, alex, card.id)).invoke?.status, 412);
    const end = await session.browser.signIn(card.url, { userId: alex.aadObjectId });
    assert.equal(lastAuthorize(session.browser.visited).searchParams.get('login_hint'), null);
    assert.equal(bodyData(end.body, 'outcome'), 'success', end.body);
  });
});
