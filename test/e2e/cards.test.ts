// Buttons on cards, over real HTTP with inbound JWT validation on: Universal Actions sign-in,
// exactly one Graph write however many clicks (one process and two), Graph's state before acting,
// and the outcome shown to everyone by editing the card in place. The cards live in one group
// chat; each test posts (binds) the cards it clicks, as the notification delivery does, in the
// state the bot processes share.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buttonData } from '../../src/bot/cardActions';
import { Target } from '../../src/domain/operations';
import { CardBindings } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';
import { BotProcess, Who, World, cardText, invoke, message, post, startBot, startWorld, userOf } from './harness';

describe('actionable card buttons', function () {
  this.timeout(90_000);
  let world: World;
  let bot: BotProcess;
  let second: BotProcess;
  let stateDir: string;
  let admin: Who;
  let requester: Who;
  let state: SqliteState;
  let bindings: CardBindings;
  const CHAT = '19:cards@thread.v2';

  before(async () => {
    world = await startWorld();
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-claims-'));
    bot = await startBot(world, world.botEnv({ STATE_DIRECTORY: stateDir }));
    second = await startBot(world, world.botEnv({ STATE_DIRECTORY: stateDir }));
    admin = userOf(world.seed, 0);
    requester = userOf(world.seed, 1);
    state = new SqliteState(path.join(stateDir, 'state.db'));
    bindings = new CardBindings(state.records);
  });

  after(async () => {
    await bot?.stop();
    await second?.stop();
    await state?.close();
    await world?.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    world.tenant.load(world.seed);
    world.tenant.clearFaults();
    world.tenant.clearLog();
  });

  const roleTarget = (id: string): Target => ({ operation: 'cancelRoleRequest', ids: { requestId: id } });
  let cardSeq = 0;

  /** A card the bot posted in the chat, showing `target` (the id it names is the card's message). */
  async function posted(target: Target, cardId = `card-${++cardSeq}`): Promise<string> {
    await bindings.bind(CHAT, cardId, [{ operation: target.operation, ids: target.ids }]);
    return cardId;
  }

  function click(who: Who, target: Target, extra: Record<string, unknown> = {}) {
    return invoke(
      world,
      who,
      'adaptiveCard/action',
      {
        action: { type: 'Action.Execute', verb: 'governance.act', data: buttonData(target) },
        trigger: 'manual',
        ...extra,
      },
      CHAT,
    );
  }

  async function clickOn(b: BotProcess, who: Who, target: Target, cardId: string, extra: Record<string, unknown> = {}) {
    const activity = { ...click(who, target, extra), replyToId: cardId };
    const res = await post(world, b, activity);
    return {
      status: res.status,
      body: JSON.parse(res.body || '{}') as { statusCode: number; type: string; value: unknown },
    };
  }

  /** Makes sure the user holds a token in both processes (Universal Actions sign-in). */
  async function signIn(b: BotProcess, who: Who): Promise<void> {
    const t = roleTarget('00000000-0000-0000-0000-0000000000aa');
    const sso = world.tenant.issueSsoToken(who.aadObjectId, world.seed.app.clientId);
    await clickOn(b, who, t, await posted(t), { authentication: { id: 'x', connectionName: '', token: sso } });
  }

  const writes = () => world.tenant.graphRequests().filter((r) => r.method === 'POST');
  const updatesOf = (cardId: string) => world.calls.filter((c) => c.method === 'PUT' && c.activityId === cardId);

  it('asks Teams to sign the clicker in (loginRequest), then completes the re-sent click without a second press', async () => {
    const target = roleTarget(world.seed.examples.roleRequestId);
    const cardId = await posted(target);
    const first = await clickOn(bot, requester, target, cardId);
    assert.equal(first.status, 401);
    assert.equal(first.body.type, 'application/vnd.microsoft.activity.loginRequest');
    const login = first.body.value as { tokenExchangeResource: { id: string }; buttons: unknown[] };
    assert.ok(login.tokenExchangeResource.id);
    assert.equal(writes().length, 0);

    const sso = world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId);
    const again = await clickOn(bot, admin, target, cardId, {
      authentication: { id: login.tokenExchangeResource.id, connectionName: '', token: sso },
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.type, 'application/vnd.microsoft.card.adaptive');
    const card = JSON.stringify(again.body.value);
    assert.match(card, /Cancelled by Megan Bowen at \d\d:\d\d UTC/);
    assert.match(card, /"actions":\[\]/, 'buttons removed');
    assert.equal(writes().length, 1);
    assert.equal(writes()[0]!.tokenClaims?.oid, admin.aadObjectId, 'the clicker, not the bot');
    const update = updatesOf(cardId)[0];
    assert.ok(update, 'the card was replaced for everyone');
    assert.match(cardText(update), /Cancelled by Megan Bowen/);
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
  });

  it('two bot processes sharing the state receive the clicks: exactly one Graph write', async () => {
    await signIn(bot, admin);
    await signIn(second, admin);
    for (const id of ['95c690fb-3eb3-4942-a03f-4524aed6f320', '95c690fb-3eb3-4942-a03f-4524aed6f321']) {
      world.tenant.clearLog();
      const target = roleTarget(id);
      const cardId = await posted(target);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => clickOn(i % 2 === 0 ? bot : second, admin, target, cardId)),
      );
      assert.ok(results.every((r) => r.status === 200));
      assert.equal(writes().length, 1, id);
      assert.equal(world.tenant.getRoleRequest(id)?.status, 'Canceled');
    }
  });

  it('reads Graph first: an item settled elsewhere is shown as such and nothing is written', async () => {
    await signIn(bot, admin);
    world.tenant.clearLog();
    const settled = roleTarget('95c690fb-3eb3-4942-a03f-4524aed6f323');
    const cardId = await posted(settled);
    const res = await clickOn(bot, admin, settled, cardId);
    assert.equal(res.status, 200);
    assert.match(JSON.stringify(res.body.value), /Already Canceled elsewhere/);
    assert.equal(writes().length, 0);
    assert.ok(updatesOf(cardId).length === 1);
    const missing = roleTarget('00000000-0000-0000-0000-0000000000ff');
    const gone = await clickOn(bot, admin, missing, await posted(missing));
    assert.match(JSON.stringify(gone.body.value), /no longer exists/);
    assert.equal(writes().length, 0);
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

  // A requester without admin roles clicks the cards of his own requests: the bot reads each with
  // filterByCurrentUser and an id filter, as he is entitled to, then cancels as him.
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
      const ownRead = graph.find((r) => r.method === 'GET' && r.status === 200);
      assert.ok(ownRead?.path.endsWith(`filterByCurrentUser(on='${on}')`), `${operation}: read as a requester`);
      assert.equal(new URLSearchParams(ownRead?.query ?? '').get('$filter'), `id eq '${id}'`);
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
    assert.match(denied, /Missing: the role Access package assignment manager/);
    assert.match(
      denied,
      /To cancel your own request you need the delegated permission EntitlementMgmt-SubjectAccess\.ReadWrite/,
    );
    assert.match(denied, /EntitlementManagement\.ReadWrite\.All and the role Access package assignment manager/);
    assert.match(denied, /Action\.Execute/, 'the buttons stay');
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
      value: buttonData(target),
      replyToId: cardId,
    };
    assert.equal((await post(world, bot, msg)).status, 200);
    const update = await world.waitFor((c) => c.method === 'PUT' && c.activityId === cardId);
    assert.match(cardText(update), /Rejected by Megan Bowen/);
    assert.equal(writes().length, 1);
    assert.deepEqual(JSON.parse(writes()[0]!.body ?? '{}').data, { operationStatus: 'failed' });
  });

  it('refuses a click that is not for its card: a card the bot never posted, or another item (issue 7.7)', async () => {
    await signIn(bot, admin);
    world.tenant.clearLog();
    const shown = roleTarget('95c690fb-3eb3-4942-a03f-4524aed6f322');
    const cardId = await posted(shown);
    const unposted = await clickOn(bot, admin, shown, 'card-never-posted');
    assert.equal(unposted.status, 400);
    assert.match(JSON.stringify(unposted.body), /did not post this card/);
    const other = await clickOn(bot, admin, roleTarget(world.seed.examples.roleRequestId), cardId);
    assert.equal(other.status, 400);
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
    assert.equal(res.status, 400);
    assert.match(res.body, /GUID/);
    const other = invoke(world, admin, 'adaptiveCard/action', {
      action: { type: 'Action.Execute', verb: 'something.else', data: {} },
    });
    assert.equal((await post(world, bot, other)).status, 400);
    assert.equal(world.tenant.graphRequests().length, 0);
  });
});
