// A list card's button pressed with no token, answered with a loginRequest whose Sign in button
// opens the bot's sign-in pages: Teams then sends the same adaptiveCard/action again with `state`
// (the one-time value the end page handed it). The list buttons use it as the notification cards'
// buttons do (cardClicks.ts): a valid state signs the press in once (it cannot run the press again
// later through signin/verifyState), and an incorrect one (unknown, used, another user's) is
// answered with an error rather than one more login request.
// "Teams client creates and sends the adaptiveCard/action Invoke Activity ... The value includes
// the state field"; "If the value in the state field is incorrect, the bot returns an error" with
// statusCode 401:
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
// That page names the error: 401 `application/vnd.microsoft.error.invalidAuthCode`, no value (the
// only 401 type besides loginRequest that Teams takes); 412 preconditionFailed is for "The SSO
// authentication flow failed":
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format

import { strict as assert } from 'node:assert';
import { Rig, User, cardsOf } from './botRig';
import { ListContent, firstRowApprove, pressList, signedOutAtGraphPage, subtitleOf } from './listSession';
import { rigPerTest } from './rigPerTest';

type Answer = { statusCode: number; type: string; value: unknown };

describe('a list button re-sent with the sign-in state', () => {
  let r: Rig;
  let megan: User;
  let cardId: string;
  /** The card as paged up to `more`, and the first row of the page `more` leads to ("41-"). */
  let shown: ListContent;
  let nextRow: string;
  /** The card's More that needs Graph's next page, on the card paged up to it. */
  let more: Record<string, unknown>;

  const press = (data: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Answer> =>
    pressList(r, megan, cardId, data, extra);
  /** The press with no token: the loginRequest's sign-in id. */
  const loginFor = async (data: Record<string, unknown>): Promise<string> => {
    const asked = await press(data);
    assert.equal(asked.statusCode, 401, asked.type);
    return (asked.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
  };
  /** What the sign-in pages do on this instance: keep the redeemed token, hand Teams a state. */
  const signedInOnThePages = async (id: string): Promise<string> => {
    assert.ok((await r.signInFlow.accept({ ...megan, tenantId: r.seed.tenantId }, r.sso(megan))).ok);
    return r.signInStates.issueVerify(id, megan.aadObjectId);
  };

  rigPerTest(async (rig) => {
    r = rig;
    ({ megan, cardId, content: shown, more, nextRow } = await signedOutAtGraphPage(rig));
  }, {});

  it('More with a valid state shows the page once: the state cannot run the press again', async () => {
    const state = await signedInOnThePages(await loginFor(more));
    const again = await press(more, { state });
    assert.equal(again.statusCode, 200, again.type);
    assert.match(subtitleOf(again.value as ListContent), new RegExp(nextRow));
    await r.bot.idle();
    r.updates.length = 0;

    // The state was used by the press: a verifyState with it is refused, and nothing runs again.
    const verify = await r.invoke(megan, 'signin/verifyState', { state });
    assert.equal(verify.invoke?.status, 404);
    await r.bot.idle();
    assert.deepEqual(r.updates, [], 'the page was not turned a second time');
  });

  it('More with an unknown or another user’s state: 401 invalidAuthCode, not one more login request, nothing read', async () => {
    await loginFor(more);
    r.sent.length = 0;
    const unknown = await press(more, { state: 'not-a-state-the-bot-issued' });
    assert.deepEqual(unknown, {
      statusCode: 401,
      type: 'application/vnd.microsoft.error.invalidAuthCode',
    });
    // The answer carries no words: the card the bot posts says what happened.
    assert.match(cardsOf(r.sent), /no longer valid/);

    const adele = r.user(1);
    const adeleId = (await r.signInFlow.begin(adele.aadObjectId, { list: 'approvals' } as never)).id;
    r.sent.length = 0;
    const foreign = await press(more, { state: await r.signInStates.issueVerify(adeleId, adele.aadObjectId) });
    assert.deepEqual(foreign, {
      statusCode: 401,
      type: 'application/vnd.microsoft.error.invalidAuthCode',
    });
    assert.match(cardsOf(r.sent), /belongs to someone else/);
    assert.deepEqual(r.tenant.graphRequests(), [], 'nothing read');

    // The way on: More pressed again (no state) asks for a fresh sign-in.
    const again = await press(more);
    assert.equal(again.type, 'application/vnd.microsoft.activity.loginRequest');
    assert.deepEqual(r.tenant.graphRequests(), [], 'nothing read without a sign-in');
  });

  it('a row’s Approve with a used state: 401 invalidAuthCode, nothing written', async () => {
    const approve = firstRowApprove(shown);
    const state = await signedInOnThePages(await loginFor(approve));
    // The state goes to Teams once; here it was spent by a verifyState first.
    await r.invoke(megan, 'signin/verifyState', { state });
    await r.bot.idle();
    const writes = r.writes().length;
    await r.message(megan, 'sign out');
    r.sent.length = 0;
    const used = await press(approve, { state });
    assert.deepEqual(used, { statusCode: 401, type: 'application/vnd.microsoft.error.invalidAuthCode' });
    assert.match(cardsOf(r.sent), /no longer valid/);
    assert.equal(r.writes().length, writes, 'nothing written by the re-sent press');
  });
});
