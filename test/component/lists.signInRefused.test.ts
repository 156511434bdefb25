// A list read that Microsoft Graph answers 401 (the user's token expired or was revoked: "Required
// authentication information is either missing or not valid for the resource",
// https://learn.microsoft.com/en-us/graph/errors) forgets the kept token, as a refused write does,
// so the next try signs in afresh instead of meeting the same 401 until the token's time is up.
// A typed list command then gets the Sign in card (the list posted after the sign-in: "If the
// error happens outside an invoke, send a fresh OAuthCard",
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code);
// "More" says what its next press does: sign in afresh, then show the page.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import * as fs from 'node:fs';
import { LIST_VERB } from '../../src/bot/listCards';
import { Rig, RigOptions, User, cardsOf } from './botRig';
import { contentOf, firstRowApprove, headings, manyAccessRequests } from './listSession';

/** Graph refusing the token for the approver list reads (batched and alone). */
const REFUSED = {
  method: 'GET',
  pathIncludes: '/filterByCurrentUser',
  status: 401,
  code: 'InvalidAuthenticationToken',
  message: 'Lifetime validation failed, the token is expired.',
  times: 20,
} as const;

const oauthCardIn = (sent: ReadonlyArray<Partial<Activity>>) =>
  sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));

describe('a list read answered 401 by Microsoft Graph', () => {
  let dir: string;
  let r: Rig;
  let megan: User;
  /** On-behalf-of exchanges so far: a new one is a sign-in afresh. */
  let exchanges = 0;
  const start = async (opts: RigOptions) => {
    exchanges = 0;
    r = new Rig(dir, {
      ...opts,
      obo: (inner) => ({
        exchange: (sso) => {
          exchanges++;
          return inner.exchange(sso);
        },
      }),
    });
    megan = r.user(0);
    await r.signIn(megan);
  };
  const press = async (cardId: string) => {
    const data = { verb: LIST_VERB, list: 'approvals' };
    const value = { action: { type: 'Action.Execute', verb: LIST_VERB, data }, trigger: 'manual' };
    const answer = await r.invoke(megan, 'adaptiveCard/action', value, { replyToId: cardId });
    return answer.invoke?.body as { statusCode: number; value: unknown };
  };
  /** Presses More until a press reads Graph's next page; that press's answer. */
  const pressUntilRead = async (cardId: string) => {
    for (let i = 0; i < 10; i++) {
      const before = r.tenant.graphRequests().length;
      const answer = await press(cardId);
      if (r.tenant.graphRequests().length > before) return answer;
    }
    throw new Error('no press read Graph');
  };

  /** Megan's list with a next page, its More read refused once (401) by Graph: the card and what
   * the press was told, after checking it said the sign-in was not accepted. */
  const moreRefusedOnce = async (): Promise<{ cardId: string; said: string }> => {
    manyAccessRequests(r);
    const { sent } = await r.message(megan, 'my approvals');
    const cardId = sent.find((a) => a.attachments?.length)!.id!;
    r.tenant.injectFault({ ...REFUSED, times: 1 });
    const answer = await pressUntilRead(cardId);
    assert.equal(answer.statusCode, 400);
    const said = JSON.stringify(answer.value);
    assert.match(said, /did not accept your sign-in/);
    return { cardId, said };
  };

  beforeEach(() => {
    dir = Rig.dir();
  });
  afterEach(async () => {
    await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the command: the token is forgotten and the Sign in card comes; the list follows the sign-in', async () => {
    await start({});
    r.tenant.injectFault(REFUSED);
    const asked = await r.message(megan, 'my approvals');
    assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null, 'the refused token is forgotten');
    const card = oauthCardIn(asked.sent);
    assert.ok(card, `a Sign in card, not a list of failures: ${cardsOf(asked.sent)}`);
    r.tenant.clearFaults();
    const id = (card.content as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    const exchange = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(exchange.invoke?.status, 200);
    await r.bot.idle();
    assert.match(cardsOf(r.sent), /Waiting for your approval/);
  });

  it('right after a sign-in: the list card says to send the command again, and no Sign in card comes again', async () => {
    r = new Rig(dir);
    megan = r.user(0);
    const asked = await r.message(megan, 'my approvals');
    const id = (oauthCardIn(asked.sent)!.content as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    r.sent.length = 0;
    r.tenant.injectFault(REFUSED);
    await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    await r.bot.idle();
    assert.equal(oauthCardIn(r.sent), undefined, 'a sign-in that just completed is not asked for again');
    assert.match(cardsOf(r.sent), /Send \\"my approvals\\" again to sign in afresh/);
    assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null);
  });

  it('the command with silent sign-in: the card says to send the command again, which reads with a new token', async () => {
    await start({ silent: true });
    const before = exchanges;
    r.tenant.injectFault(REFUSED);
    const { sent } = await r.message(megan, 'my approvals');
    const said = JSON.stringify(sent);
    assert.match(said, /could not be listed: Microsoft Graph did not accept your sign-in/);
    assert.match(said, /Send \\"my approvals\\" again to sign in afresh/);
    assert.doesNotMatch(said, /Select Sign in/, 'a list card has no Sign in button');
    assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null, 'the refused token is forgotten');
    r.tenant.clearFaults();
    r.tenant.clearLog();
    const again = await r.message(megan, 'my approvals');
    assert.ok(headings(contentOf(again.sent.find((a) => a.attachments?.length))).length > 0);
    const reads = r.tenant.graphRequests();
    assert.ok(reads.length > 0);
    assert.equal(exchanges, before + 1, 'read with a token got afresh');
  });

  it('More with silent sign-in: the token is forgotten, and pressing again reads the page with a new token', async () => {
    await start({ silent: true });
    const before = exchanges;
    const { cardId, said } = await moreRefusedOnce();
    assert.match(said, /Press More again/);
    assert.doesNotMatch(said, /send the command again|Select Sign in/i);
    assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null, 'the refused token is forgotten');
    const next = await press(cardId);
    assert.equal(next.statusCode, 200, JSON.stringify(next));
    assert.equal(exchanges, before + 1, 'read with a token got afresh');
  });

  it('More without silent sign-in: the token is forgotten, and pressing again asks for sign-in', async () => {
    await start({});
    const { cardId, said } = await moreRefusedOnce();
    assert.match(said, /Press More again: it signs you in afresh, then shows the next page/);
    assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null, 'the refused token is forgotten');
    const next = await press(cardId);
    assert.equal(next.statusCode, 401, 'the press again asks for sign-in (a loginRequest)');
  });

  it('a row’s Approve that Graph answers 401: the token is forgotten, so pressing again signs in afresh', async () => {
    await start({ silent: true });
    const { sent } = await r.message(megan, 'my approvals');
    const card = sent.find((a) => a.attachments?.length)!;
    const approve = firstRowApprove(contentOf(card));
    r.tenant.injectFault({ ...REFUSED, method: 'PATCH', pathIncludes: '/' });
    r.tenant.injectFault({ ...REFUSED, method: 'POST', pathIncludes: '/' });
    const value = { action: { type: 'Action.Execute', verb: approve.verb, data: approve }, trigger: 'manual' };
    const pressed = await r.invoke(megan, 'adaptiveCard/action', value, { replyToId: card.id! });
    assert.match(JSON.stringify(pressed.invoke?.body), /Sign-in needed/);
    assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null, 'the refused token is forgotten');
  });
});
