// A typed command whose sign-in fails is told what it can do with what it has: when its Sign in
// card is in the chat (the token exchange answered 412, so Teams shows that card's button:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code),
// to select Sign in on it, after which the remembered command runs by itself, not to send it again;
// when no Sign in card came (the silent sign-in failed for good, or Graph refused the token,
// https://learn.microsoft.com/en-us/graph/errors: 401), not to select a Sign in button it does not
// have, but to send the command again.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { SignInRequiredError } from '../../src/domain/errors';
import { Rig, RigOptions, User, cardsOf } from './botRig';
import { rigMadeInTest } from './rigPerTest';

/** Entra refuses the on-behalf-of exchange for `reason` while `refusing.on` holds (as for MFA or
 * consent; 'unknown': it ended without a token, oboExchanger.ts), then exchanges as the tenant does. */
function refusing(reason: 'mfa' | 'unknown') {
  const refusing = { on: true };
  const obo: RigOptions['obo'] = (inner) => ({
    exchange: (sso) =>
      refusing.on
        ? Promise.reject(new SignInRequiredError('Entra refused the exchange.', reason))
        : inner.exchange(sso),
  });
  return Object.assign(refusing, { obo });
}

const oauthOf = (sent: ReadonlyArray<Partial<Activity>>) =>
  sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'))?.content as
    { tokenExchangeResource: { id: string } } | undefined;

describe('a typed command whose sign-in fails: words for what the person has', () => {
  const rigIn = rigMadeInTest();
  let r: Rig;

  /** The typed command's Sign in card, its exchange (refused by Entra), and what the bot said. */
  async function refusedExchange(user: User, requestId: string) {
    const typed = await r.message(user, `cancel role-request ${requestId}`);
    const oauth = oauthOf(typed.sent);
    assert.ok(oauth, `a Sign in card: ${cardsOf(typed.sent)}`);
    const exchange = await r.invoke(user, 'signin/tokenExchange', {
      id: oauth.tokenExchangeResource.id,
      connectionName: '',
      token: r.sso(user),
    });
    assert.equal(exchange.invoke?.status, 412);
    return { id: oauth.tokenExchangeResource.id, said: cardsOf(exchange.sent as Array<Partial<Activity>>) };
  }

  /** What the sign-in pages do when the person selects Sign in, then Teams' verifyState. */
  async function signInOnPage(user: User, id: string): Promise<void> {
    r.tenant.clearLog();
    assert.ok((await r.signInFlow.accept({ ...user, tenantId: r.seed.tenantId }, r.sso(user))).ok);
    const state = await r.signInStates.issueVerify(id, user.aadObjectId);
    const verify = await r.invoke(user, 'signin/verifyState', { state });
    assert.equal(verify.invoke?.status, 200);
    await r.bot.idle();
  }

  it('MFA refused in the exchange: select Sign in on the sign-in card, and the command runs by itself', async () => {
    const mfa = refusing('mfa');
    r = rigIn({ obo: mfa.obo });
    const megan = r.user(0);
    const { id, said } = await refusedExchange(megan, r.seed.examples.roleRequestId);
    assert.match(
      said,
      /multi-factor authentication\. Select Sign in on the sign-in card to complete it; your command then runs\./,
    );
    assert.doesNotMatch(said, /send the command again/i);
    mfa.on = false;
    await signInOnPage(megan, id);
    assert.equal(r.writes().length, 1, 'the remembered command ran after the sign-in, not sent again');
  });

  it('an exchange that fails for no named reason: select Sign in on the sign-in card, and the command runs', async () => {
    const unknown = refusing('unknown');
    r = rigIn({ obo: unknown.obo });
    const megan = r.user(0);
    const { id, said } = await refusedExchange(megan, r.seed.examples.roleRequestId);
    assert.match(said, /Select Sign in on the sign-in card, and your command then runs, or send the command again\./);
    unknown.on = false;
    await signInOnPage(megan, id);
    assert.equal(r.writes().length, 1, 'the sign-in card ran the remembered command');
  });

  it('silent sign-in that fails for no named reason: no Sign in card, so send the command again', async () => {
    r = rigIn({ silent: true, obo: refusing('unknown').obo });
    const megan = r.user(0);
    const { sent } = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    assert.equal(oauthOf(sent), undefined, 'no Sign in card came');
    const said = cardsOf(sent);
    assert.doesNotMatch(said, /Select Sign in/, 'there is no Sign in button to select');
    assert.match(said, /Send the command again\. If it keeps failing, sign out of Teams and back in\./);
  });

  it('Graph refuses the token of a command (silent sign-in): no Sign in card, so send the command again', async () => {
    r = rigIn({ silent: true });
    const megan = r.user(0);
    r.tenant.injectFault({ method: 'POST', pathIncludes: '/cancel', status: 401, code: 'InvalidAuthenticationToken' });
    const { sent } = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    assert.equal(oauthOf(sent), undefined, 'no Sign in card came');
    const said = cardsOf(sent);
    assert.doesNotMatch(said, /Select Sign in/, 'there is no Sign in button to select');
    assert.match(said, /expired or was revoked\. Send the command again to sign in afresh\./);
    // The call went out: Graph refused its token.
    assert.match(said, /Microsoft Graph did not accept your sign-in/);
    assert.doesNotMatch(said, /nothing was sent to Microsoft Graph/);
  });

  it('Graph refuses the token of a card button: the clicker is not told that nothing was sent', async () => {
    r = rigIn({ silent: true });
    const megan = r.user(0);
    const target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } } as const;
    await r.postCard(megan, 'card-1', target);
    r.tenant.injectFault({ method: 'POST', pathIncludes: '/cancel', status: 401, code: 'InvalidAuthenticationToken' });
    const said = JSON.stringify((await r.click(megan, target, 'card-1')).body.value);
    assert.match(said, /Microsoft Graph did not accept your sign-in/);
    assert.doesNotMatch(said, /nothing was sent to Microsoft Graph/);
    assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null, 'the refused token is forgotten');
  });

  it('Graph refuses the token a sign-in just brought: the answer says to send the command again, no Sign in card again', async () => {
    // Teams exchanges every Sign in card it is sent by itself: a new card for a token Graph keeps
    // refusing would go round without end.
    r = rigIn();
    const megan = r.user(0);
    const typed = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    const oauth = oauthOf(typed.sent);
    assert.ok(oauth);
    r.sent.length = 0;
    r.tenant.injectFault({ method: 'POST', pathIncludes: '/cancel', status: 401, code: 'InvalidAuthenticationToken' });
    const exchange = await r.invoke(megan, 'signin/tokenExchange', {
      id: oauth.tokenExchangeResource.id,
      connectionName: '',
      token: r.sso(megan),
    });
    assert.equal(exchange.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(oauthOf(r.sent), undefined, 'no Sign in card after the sign-in that just completed');
    assert.match(cardsOf(r.sent), /Send the command again to sign in afresh/);
    assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null, 'the refused token is forgotten');
  });
});
