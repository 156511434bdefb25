// Buttons on cards, over real HTTP with inbound JWT validation on: Universal Actions sign-in,
// exactly one Graph write however many clicks (one process and two), Graph's state before acting,
// a failed write shown to the clicker only, the Action.Submit fallback, and the outcome shown to
// everyone by editing the card in place. The cards live in one group chat; each test posts (binds)
// the cards it clicks, as the notification delivery does, in the state the bot processes share.

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import { Target } from '../../src/domain/operations';
import { CHAT, cardsSession } from './cardsSession';
import { BotProcess, Who, World, cardText, message, post, userOf } from './harness';
import { buttonsOf } from '../fixtures/cardButtons';

describe('actionable card buttons', function () {
  this.timeout(90_000);
  const session = cardsSession({ secondProcess: true });
  const { roleTarget, posted, clickOn, signIn, writes, updatesOf } = session;
  let world: World;
  let bot: BotProcess;
  let second: BotProcess;
  let admin: Who;
  let requester: Who;
  // The session's before hook, registered first, has started the world and the bots by now.
  before(() => {
    ({ world, bot, second } = session);
    admin = userOf(world.seed, 0);
    requester = userOf(world.seed, 1);
  });

  /** Stops the bots once all they were doing is done (the edits for everyone included) and starts
   * new ones on the same state (cardsSession.settle): a second write can no longer be on its way. */
  async function settle(): Promise<void> {
    await session.settle();
    ({ bot, second } = session);
  }

  it('asks Teams to sign the clicker in (loginRequest), then completes the re-sent click without a second press', async () => {
    const target = roleTarget(world.seed.examples.roleRequestId);
    const cardId = await posted(target);
    const first = await clickOn(bot, requester, target, cardId);
    // The login request is a Universal Actions response inside an HTTP 200 invoke response:
    // https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
    assert.equal(first.status, 200);
    assert.equal(first.body.statusCode, 401);
    assert.equal(first.body.type, 'application/vnd.microsoft.activity.loginRequest');
    const login = first.body.value as {
      tokenExchangeResource: { id: string };
      buttons: Array<{ type: string; value: string }>;
    };
    assert.ok(login.tokenExchangeResource.id);
    const button = login.buttons[0]!;
    assert.equal(button.type, 'signin');
    assert.equal(
      new URL(button.value).origin + new URL(button.value).pathname,
      `${bot.url}/auth/start`,
      "the Sign in button opens the bot's own start page, never an empty URL",
    );
    assert.equal(writes().length, 0);

    const sso = world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId);
    const again = await clickOn(bot, admin, target, cardId, {
      authentication: { id: login.tokenExchangeResource.id, connectionName: '', token: sso },
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.type, 'application/vnd.microsoft.card.adaptive');
    const card = JSON.stringify(again.body.value);
    assert.match(card, /Cancelled by Megan Bowen at \d\d:\d\d UTC/);
    assert.deepEqual(buttonsOf(again.body.value), [], 'buttons removed');
    assert.doesNotMatch(card, /"type":"Action\./, 'buttons removed');
    assert.equal(writes().length, 1);
    assert.equal(writes()[0]!.tokenClaims?.oid, admin.aadObjectId, 'the clicker, not the bot');
    // The edit for everyone follows the answer (the clicker's copy is the answer's card).
    await world.waitFor((c) => c.method === 'PUT' && c.activityId === cardId);
    const update = updatesOf(cardId)[0];
    assert.ok(update, 'the card was replaced for everyone');
    assert.match(cardText(update), /Cancelled by Megan Bowen/);
    await settle();
    assert.equal(writes().length, 1, 'still one write once the bot has finished all it was doing');
  });

  it('double-clicks and concurrent clicks in one process make exactly one Graph write', async () => {
    await signIn(bot, admin);
    world.tenant.clearLog();
    const target = roleTarget('95c690fb-3eb3-4942-a03f-4524aed6f31f');
    const cardId = await posted(target);
    const results = await Promise.all(Array.from({ length: 12 }, () => clickOn(bot, admin, target, cardId)));
    assert.ok(results.every((r) => r.status === 200));
    assert.equal(writes().length, 1);
    assert.ok(
      results.every((r) => JSON.stringify(r.body.value).includes('Cancelled by Megan Bowen')),
      'every click gets the final card',
    );
    const late = await clickOn(bot, admin, target, cardId);
    assert.match(JSON.stringify(late.body.value), /Cancelled by Megan Bowen/);
    assert.equal(writes().length, 1);
    await settle();
    assert.equal(writes().length, 1, 'still one write once the bot has finished all it was doing');
  });

  it('two bot processes sharing the state receive the clicks: exactly one Graph write', async () => {
    for (const id of ['95c690fb-3eb3-4942-a03f-4524aed6f320', '95c690fb-3eb3-4942-a03f-4524aed6f321']) {
      // Signed in for each item: settle() below starts new bots, which hold no token yet.
      await signIn(bot, admin);
      await signIn(second, admin);
      world.tenant.clearLog();
      const target = roleTarget(id);
      const cardId = await posted(target);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => clickOn(i % 2 === 0 ? bot : second, admin, target, cardId)),
      );
      assert.ok(results.every((r) => r.status === 200));
      assert.equal(writes().length, 1, id);
      assert.equal(world.tenant.getRoleRequest(id)?.status, 'Canceled');
      await settle();
      assert.equal(writes().length, 1, `${id}: still one write once both bots have finished all they were doing`);
    }
  });

  it('reads Graph first: an item settled elsewhere is shown as such and nothing is written', async () => {
    await signIn(bot, admin);
    world.tenant.clearLog();
    const settled = roleTarget('95c690fb-3eb3-4942-a03f-4524aed6f323');
    const cardId = await posted(settled);
    const res = await clickOn(bot, admin, settled, cardId);
    assert.equal(res.status, 200);
    assert.match(JSON.stringify(res.body.value), /Already cancelled; nothing more to do/);
    assert.equal(writes().length, 0);
    await world.waitFor((c) => c.method === 'PUT' && c.activityId === cardId);
    assert.ok(updatesOf(cardId).length === 1);
    const missing = roleTarget('00000000-0000-0000-0000-0000000000ff');
    const gone = await clickOn(bot, admin, missing, await posted(missing));
    assert.match(JSON.stringify(gone.body.value), /no longer exists/);
    assert.equal(writes().length, 0);
    await settle();
    assert.equal(writes().length, 0, 'still nothing written once the bot has finished all it was doing');
  });

  it('a failed Graph call releases the claim and says why; the next click can succeed', async () => {
    await signIn(bot, requester);
    await signIn(bot, admin);
    world.tenant.clearLog();
    // Claims are durable per item, so this test uses an item no other test clicked.
    const target: Target = { operation: 'cancelGroupRequest', ids: { requestId: world.seed.examples.groupRequestId } };
    const cardId = await posted(target);
    const denied = await clickOn(bot, requester, target, cardId);
    const deniedCard = JSON.stringify(denied.body.value);
    assert.match(deniedCard, /PrivilegedAssignmentSchedule\.ReadWrite\.AzureADGroup/);
    assert.match(deniedCard, /Action\.Execute/, 'the buttons stay for a retry');
    assert.equal(updatesOf(cardId).length, 0, 'a failure is shown to the clicker only');
    const ok = await clickOn(bot, admin, target, cardId);
    assert.match(JSON.stringify(ok.body.value), /Cancelled by Megan Bowen/);
    const audit = bot.lines().filter((l) => l.event === 'governance.action' && l.activityId === cardId);
    assert.ok(audit.some((l) => l.outcome === 'failed' && l.errorCode === 'NOT_PERMITTED'));
    assert.ok(audit.some((l) => l.outcome === 'succeeded' && l.userId === admin.aadObjectId));
  });

  it('handles the Action.Submit fallback the same way and edits the card for everyone', async () => {
    await signIn(bot, admin);
    world.tenant.clearLog();
    const e = world.seed.examples;
    const target: Target = {
      operation: 'resumeTask',
      ids: { workflowId: e.taskWorkflowId, taskId: e.taskId, taskProcessingResultId: e.taskProcessingResultId },
      decision: 'failed',
    };
    const cardId = await posted(target);
    const msg = {
      ...message(world, admin, '', 'groupChat', CHAT),
      text: undefined,
      value: pressedData(target),
      replyToId: cardId,
    };
    assert.equal((await post(world, bot, msg)).status, 200);
    const update = await world.waitFor((c) => c.method === 'PUT' && c.activityId === cardId);
    assert.match(cardText(update), /Rejected by Megan Bowen/);
    assert.equal(writes().length, 1);
    assert.deepEqual(JSON.parse(writes()[0]!.body ?? '{}').data, { operationStatus: 'failed' });
    await settle();
    assert.equal(writes().length, 1, 'still one write once the bot has finished all it was doing');
  });
});
