// A card's button pressed by someone without a token waits for their sign-in, then runs as the
// click it was: through the card-action service (its claim, its write, the card edited for
// everyone and its final word kept, its one audit line naming the card), whether it came as
// Action.Execute or as its Action.Submit fallback: "Your Bot should be coded in such a way that it
// can process both Action.Execute and Action.Submit".
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#teams
// The Action.Submit press gets the Sign in card, completed by signin/tokenExchange
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code);
// an Action.Execute press whose single sign-on cannot complete is signed in on the bot's pages and
// Teams sends signin/verifyState
// (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards).

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { pressedData } from '../fixtures/pressedData';
import type { Target } from '../../src/domain/operations';
import { bodyData } from '../fixtures/signInBrowser';
import { Rig, User } from './botRig';
import { keepRequestsShowing } from './listSession';
import { rigPerTest } from './rigPerTest';
import { named, signInFlowSession } from './signInFlowSession';
import { auditLinesOf } from './waitingCommand';

/** The id of the Sign in card's sign-in among the activities of a turn. */
function oauthIdOf(sent: ReadonlyArray<Partial<Activity>>): string {
  const oauth = sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));
  assert.ok(oauth, `a Sign in card: ${JSON.stringify(sent)}`);
  return (oauth.content as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
}

/** The edits of the message `id` for everyone, as their cards' text. */
const editsOf = (r: Rig, id: string) =>
  r.updates.filter((u) => u.id === id).map((u) => JSON.stringify((u.attachments ?? []).map((x) => x.content)));

/** Whether a card's text still offers a button that acts. */
const hasButtons = (card: string) => card.includes('Action.Execute') || card.includes('Action.Submit');

describe('a press that waited for sign-in runs as the click it was', () => {
  let r: Rig;
  let megan: User;
  let target: Target;
  rigPerTest(async (rig) => {
    r = rig;
    megan = r.user(0);
    target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.postCard(megan, 'card-1', target);
  }, {});

  it('Action.Submit: after the token exchange the card loses its buttons for everyone and keeps its final word', async () => {
    const pressed = await r.message(megan, '', { text: undefined, value: pressedData(target), replyToId: 'card-1' });
    const id = oauthIdOf(pressed.sent);
    const exchange = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(exchange.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1);
    const edits = editsOf(r, 'card-1');
    assert.ok(edits.length > 0, 'card-1 is edited for everyone');
    assert.ok(!hasButtons(edits[edits.length - 1]!), `no buttons left: ${edits[edits.length - 1]}`);
    const bound = await r.bindings.cardOf(r.conversationOf(megan), 'card-1');
    assert.ok(bound?.settled, 'its final word is kept');
    const lines = auditLinesOf(r);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]?.outcome, 'succeeded');
    assert.equal(lines[0]?.via, 'card.submit');
    assert.equal(lines[0]?.activityId, 'card-1');
    // Another of Megan's clients, that still shows the buttons: the final word, without a second write.
    const stale = await r.click(megan, target, 'card-1');
    assert.equal(stale.body.statusCode, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'written once');
  });

  it("Action.Submit on a list card's row: after the token exchange the list card is edited for everyone", async () => {
    await keepRequestsShowing(r, megan, 'list-1', target);
    await r.postCard(megan, 'list-1', target);
    const data = pressedData(target, { list: 'requests' });
    const pressed = await r.message(megan, '', { text: undefined, value: data, replyToId: 'list-1' } as never);
    const id = oauthIdOf(pressed.sent);
    await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    await r.bot.idle();
    assert.equal(r.writes().length, 1);
    assert.ok(editsOf(r, 'list-1').length > 0, 'the list card is edited for everyone');
    const lines = auditLinesOf(r);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]?.via, 'list.submit');
    assert.equal(lines[0]?.activityId, 'list-1');
  });
});

describe('an Action.Execute press signed in on the sign-in pages runs as the click it was', function () {
  this.timeout(20_000);
  const session = signInFlowSession();

  it('after signin/verifyState the card loses its buttons for everyone, audited with its card', async () => {
    const r = session.rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.postCard(megan, 'card-1', target);
    const login = await r.click(megan, target, 'card-1');
    assert.equal(login.body.statusCode, 401, JSON.stringify(login.body));
    const url = (login.body.value as { buttons: Array<{ value: string }> }).buttons[0]!.value;
    const end = await session.browser.signIn(url, { userId: megan.aadObjectId });
    const verified = await r.invoke(megan, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    assert.equal(verified.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1);
    const edits = editsOf(r, 'card-1');
    assert.ok(edits.length > 0 && !hasButtons(edits[edits.length - 1]!), JSON.stringify(edits));
    const lines = auditLinesOf(r);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]?.via, 'card.execute');
    assert.equal(lines[0]?.activityId, 'card-1');
  });
});
