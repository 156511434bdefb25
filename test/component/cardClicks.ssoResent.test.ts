// A card press that needs sign-in, with Universal Actions' single sign-on: the bot answers the
// adaptiveCard/action invoke with a loginRequest whose tokenExchangeResource names a sign-in that
// remembers the press; Teams gets the SSO token and sends the original adaptiveCard/action again,
// with `value.authentication` = {id (that tokenExchangeResource's), connectionName, token}.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
// The re-sent press runs, and it is the press the sign-in remembered: nothing of it may wait after,
// or the periodic pass would end it later with a second audit line (contract §6: one line per
// command), a token exchange or the sign-in pages for that id would run it again (a second Graph
// write), and a late signin/failure would offer a Sign in card for it (contract §5).
// Universal Actions' answer types (a message for the presser, the card unchanged):
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format

import { strict as assert } from 'node:assert';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { pressedData } from '../fixtures/pressedData';
import { Rig, User } from './botRig';
import { keepRequestsShowing } from './listSession';
import { FakeClock } from './fakeClock';
import { pressWorldPerTest } from './pressWorld';
import { auditLinesOf, expirySweep } from './waitingCommand';

const MINUTE = 60_000;

describe('a press Teams re-sends with the SSO token takes the sign-in that remembered it', () => {
  let clock: FakeClock;
  let r: Rig;
  let megan: User;
  let target: Target;
  let swept: AuditLine[];
  pressWorldPerTest(async (world) => {
    ({ r, clock, megan, target, swept } = world);
    await r.postCard(megan, 'card-1', target);
  });

  /** The press answered with a loginRequest: the id of the sign-in that remembers it. */
  async function loginRequested(): Promise<string> {
    const login = await r.click(megan, target, 'card-1');
    assert.equal(login.body.statusCode, 401, JSON.stringify(login.body));
    return (login.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
  }

  const resent = (id: string) =>
    r.click(megan, target, 'card-1', {
      authentication: { id, connectionName: 'GovernanceBotSignIn', token: r.sso(megan) },
    });

  it('runs once; nothing waits after, and the periodic pass writes no second line', async () => {
    const id = await loginRequested();
    const again = await resent(id);
    assert.equal(again.body.statusCode, 200, JSON.stringify(again.body));
    await r.bot.idle();
    assert.equal(r.writes().length, 1);
    assert.equal(await r.signInFlow.latestFor(megan.aadObjectId), null, 'nothing waits for Megan');
    assert.equal(await r.signInFlow.pendingView(id), null, 'the sign-in page has nothing to complete');
    await clock.advance(26 * MINUTE);
    await expirySweep(r, clock, swept)();
    assert.deepEqual(swept, [], 'a press that ran is not ended again');
    assert.deepEqual(
      auditLinesOf(r).map((l) => [l.outcome, l.via]),
      [['succeeded', 'card.execute']],
    );
  });

  it('a late signin/failure posts nothing; a token exchange of its id runs nothing', async () => {
    const id = await loginRequested();
    await resent(id);
    await r.bot.idle();
    // Another of Megan's clients reports that its single sign-on of that card failed.
    const failure = await r.invoke(megan, 'signin/failure', { code: 'resourcematchfailed', message: 'x' });
    assert.equal(failure.invoke?.status, 200);
    assert.deepEqual(failure.sent, [], `nothing posted: ${JSON.stringify(failure.sent)}`);
    const exchange = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(exchange.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'one Graph write');
    assert.equal(auditLinesOf(r).length, 1, JSON.stringify(auditLinesOf(r)));
  });

  it('the token already held when the press comes again: its sign-in is taken all the same', async () => {
    const id = await loginRequested();
    // Megan signed in meanwhile (another press, another client).
    await r.signIn(megan);
    const again = await resent(id);
    assert.equal(again.body.statusCode, 200, JSON.stringify(again.body));
    await r.bot.idle();
    assert.equal(r.writes().length, 1);
    assert.equal(await r.signInFlow.pendingView(id), null);
  });

  it('another client ran it first: the re-sent press runs nothing and says so', async () => {
    const id = await loginRequested();
    const exchange = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(exchange.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1);
    const again = await resent(id);
    await r.bot.idle();
    assert.equal(again.body.statusCode, 200);
    assert.equal(again.body.type, 'application/vnd.microsoft.activity.message', JSON.stringify(again.body));
    assert.match(String(again.body.value), /already ran/);
    // Its result is where its run put it: this card, or a message of its own (a card that could not
    // be edited; a press remembered by the previous release ran as a typed command).
    assert.match(String(again.body.value), /in this chat: on this card, or in a message of its own/);
    assert.equal(r.writes().length, 1, 'not written twice');
    assert.equal(auditLinesOf(r).length, 1, JSON.stringify(auditLinesOf(r)));
  });

  it("another user's press naming the id of Megan's sign-in that ran is not told it ran: it goes on", async () => {
    const id = await loginRequested();
    const exchange = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(exchange.invoke?.status, 200);
    await r.bot.idle();
    const adele = r.user(1);
    await r.postCard(adele, 'card-a', target);
    const pressed = await r.click(adele, target, 'card-a', {
      authentication: { id, connectionName: 'GovernanceBotSignIn', token: r.sso(adele) },
    });
    await r.bot.idle();
    assert.doesNotMatch(JSON.stringify(pressed.body), /already ran/);
    assert.equal(pressed.body.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(pressed.body));
    assert.deepEqual(
      auditLinesOf(r).map((l) => l.userId),
      [megan.aadObjectId, adele.aadObjectId],
      'her press ended with its own line',
    );
  });

  it("another of the user's remembered presses, named by a re-sent press, stays waiting", async () => {
    const other: Target = {
      operation: 'cancelRoleRequest',
      ids: { requestId: '00000000-0000-0000-0000-0000000000bb' },
    };
    await r.postCard(megan, 'card-2', other);
    const login = await r.click(megan, other, 'card-2');
    const otherId = (login.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    const again = await resent(otherId);
    assert.equal(again.body.statusCode, 200, JSON.stringify(again.body));
    await r.bot.idle();
    assert.ok(await r.signInFlow.pendingView(otherId), 'the other press still waits for its sign-in');
  });

  it("a list row's press: taken as a notification card's", async () => {
    await keepRequestsShowing(r, megan, 'list-1', target);
    await r.postCard(megan, 'list-1', target);
    const data = pressedData(target, { list: 'requests' });
    const press = (extra: Record<string, unknown> = {}) =>
      r.invoke(
        megan,
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual', ...extra },
        { replyToId: 'list-1' },
      );
    const login = (await press()).invoke?.body as {
      statusCode: number;
      value: { tokenExchangeResource: { id: string } };
    };
    assert.equal(login.statusCode, 401);
    const id = login.value.tokenExchangeResource.id;
    await press({ authentication: { id, connectionName: 'GovernanceBotSignIn', token: r.sso(megan) } });
    await r.bot.idle();
    assert.equal(r.writes().length, 1);
    assert.equal(await r.signInFlow.pendingView(id), null, 'nothing waits for the row');
    await clock.advance(26 * MINUTE);
    await expirySweep(r, clock, swept)();
    assert.deepEqual(swept, []);
  });
});
