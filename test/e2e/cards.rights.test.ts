// Who may act from a card and on what, over real HTTP with inbound JWT validation on: a requester
// without admin roles cancelling his own requests (read as a requester first), an administrator
// cancelling a requester's, a requester refused someone else's with what is missing, and clicks
// refused before any Graph call: a card the bot never posted, an item not on the card, tampered
// button data, an unknown verb. The cards live in one group chat; each test posts (binds) the cards
// it clicks, as the notification delivery does.

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { cardsSession } from './cardsSession';
import { BotProcess, Who, World, invoke, post, userOf } from './harness';

describe('actionable card buttons', function () {
  this.timeout(90_000);
  const session = cardsSession();
  const { roleTarget, posted, clickOn, signIn, updatesOf } = session;
  let world: World;
  let bot: BotProcess;
  let admin: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, bot } = session);
    admin = userOf(world.seed, 0);
  });

  // A requester without admin roles clicks the cards of his own requests: the bot reads each with
  // filterByCurrentUser (an id filter where the type allows one), as he is entitled to, then
  // cancels as him. His PIM role requests are the exception: that read asks a PIM read role.
  // https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0,
  // https://learn.microsoft.com/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0,
  // https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
  it('a requester without admin roles cancels his own PIM role, PIM group and access package requests from cards', async () => {
    const diego = userOf(world.seed, 6);
    const own = world.seed.selfService;
    await signIn(bot, diego);
    for (const [operation, id, on] of [
      ['cancelRoleRequest', own.roleRequestIds[1]!, 'principal'],
      ['cancelGroupRequest', own.groupRequestIds[1]!, 'principal'],
      ['cancelAccessPackageRequest', own.accessRequestIds[1]!, 'target'],
    ] as const) {
      world.tenant.clearLog();
      const target: Target = { operation, ids: { requestId: id } };
      const cardId = await posted(target);
      const res = await clickOn(bot, diego, target, cardId);
      assert.equal(res.status, 200);
      assert.match(JSON.stringify(res.body.value), /Cancelled by Diego Siciliani/, operation);
      const graph = world.tenant.graphRequests();
      if (operation === 'cancelRoleRequest') {
        // Role filterByCurrentUser asks a PIM read role he lacks: his read is refused, and the
        // write is tried all the same (Graph decides).
        assert.ok(
          graph.some(
            (r) => r.method === 'GET' && r.status === 403 && r.path.endsWith(`filterByCurrentUser(on='${on}')`),
          ),
          `${operation}: read as a requester, refused`,
        );
      } else {
        const ownRead = graph.find((r) => r.method === 'GET' && r.status === 200);
        assert.ok(ownRead?.path.endsWith(`filterByCurrentUser(on='${on}')`), `${operation}: read as a requester`);
        // An access package request's id cannot be filtered on: the whole answer is read instead
        // (https://learn.microsoft.com/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0).
        const filter = operation === 'cancelAccessPackageRequest' ? null : `id eq '${id}'`;
        assert.equal(new URLSearchParams(ownRead?.query ?? '').get('$filter'), filter);
      }
      assert.deepEqual(
        graph.filter((r) => r.method === 'POST').map((r) => r.tokenClaims?.oid),
        [diego.aadObjectId],
        'one write, as the requester',
      );
    }
  });

  it("an administrator cancels a requester's request from a card; the requester clicking someone else's is told what is missing", async () => {
    const diego = userOf(world.seed, 6);
    await signIn(bot, admin);
    await signIn(bot, diego);
    world.tenant.clearLog();
    const diegos: Target = {
      operation: 'cancelAccessPackageRequest',
      ids: { requestId: world.seed.selfService.accessRequestIds[0]! },
    };
    const ok = await clickOn(bot, admin, diegos, await posted(diegos));
    assert.match(JSON.stringify(ok.body.value), /Cancelled by Megan Bowen/);
    const others: Target = {
      operation: 'cancelAccessPackageRequest',
      ids: { requestId: '7999249e-249e-7999-9e24-99799e249979' },
    };
    const denied = JSON.stringify((await clickOn(bot, diego, others, await posted(others))).body.value);
    assert.match(denied, /someone else's request/);
    // Not his own: what is missing by kind, the rights for others' requests once, none for his own.
    assert.match(denied, /Missing: the role named below/);
    assert.doesNotMatch(denied, /your own request you need/);
    assert.match(denied, /EntitlementManagement\.ReadWrite\.All and the role Access package assignment manager/);
    // Once: the permission, the role list and the sentence naming them appear one time on the card.
    const times = (words: string) => denied.split(words).length - 1;
    assert.equal(times('EntitlementManagement.ReadWrite.All'), 1, denied);
    assert.equal(times('Access package assignment manager, Access package manager or Catalog owner'), 1, denied);
    assert.equal(times(' you need '), 1, denied);
    assert.match(denied, /Action\.Execute/, 'the buttons stay');
  });

  it('refuses a click that is not for its card: a card the bot never posted, or another item (issue 7.7)', async () => {
    await signIn(bot, admin);
    world.tenant.clearLog();
    const shown = roleTarget('95c690fb-3eb3-4942-a03f-4524aed6f322');
    const cardId = await posted(shown);
    const unposted = await clickOn(bot, admin, shown, 'card-never-posted');
    // Universal Actions errors travel in an HTTP 200 with their own statusCode:
    // https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format
    assert.equal(unposted.status, 200);
    assert.equal(unposted.body.statusCode, 400);
    assert.match(JSON.stringify(unposted.body), /did not post this card/);
    const other = await clickOn(bot, admin, roleTarget(world.seed.examples.roleRequestId), cardId);
    assert.equal(other.body.statusCode, 400);
    assert.match(JSON.stringify(other.body), /does not belong to this card/);
    assert.equal(world.tenant.graphRequests().length, 0);
    assert.equal(updatesOf(cardId).length + updatesOf('card-never-posted').length, 0, 'the cards stay as they are');
  });

  it('refuses tampered button data without calling Graph', async () => {
    await signIn(bot, admin);
    world.tenant.clearLog();
    const bad = invoke(world, admin, 'adaptiveCard/action', {
      action: {
        type: 'Action.Execute',
        verb: 'governance.act',
        data: { verb: 'governance.act', operation: 'cancelRoleRequest', ids: { requestId: '../../users' } },
      },
      trigger: 'manual',
    });
    const res = await post(world, bot, { ...bad, replyToId: 'card-x' });
    assert.equal(res.status, 200);
    assert.equal((JSON.parse(res.body) as { statusCode: number }).statusCode, 400);
    assert.match(res.body, /GUID/);
    const other = invoke(world, admin, 'adaptiveCard/action', {
      action: { type: 'Action.Execute', verb: 'something.else', data: {} },
    });
    const unknownVerb = await post(world, bot, other);
    assert.equal((JSON.parse(unknownVerb.body) as { statusCode: number }).statusCode, 400);
    assert.equal(world.tenant.graphRequests().length, 0);
  });
});
