// Approvals over real HTTP with inbound JWT validation on, two bot processes sharing one state:
// two approvers of one stage press Approve on the same card at once, on different instances, and
// exactly one decision reaches Graph; everyone ends with the final card. Then "my approvals"
// posts a list card whose row buttons act through the same service and edit the card in place.
// https://learn.microsoft.com/en-us/graph/api/approvalstep-update?view=graph-rest-beta (204; 409 for a second approver)

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pressOf, pressedData } from '../fixtures/pressedData';
import { Target } from '../../src/domain/operations';
import { CardBindings } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';
import { BotProcess, Who, World, cardText, invoke, message, post, startBot, startWorld, userOf } from './harness';

describe('approvals end to end', function () {
  this.timeout(90_000);
  let world: World;
  let one: BotProcess;
  let two: BotProcess;
  let stateDir: string;
  let megan: Who;
  let lynne: Who;
  let state: SqliteState;
  let bindings: CardBindings;
  const CHAT = '19:approvers@thread.v2';
  let warm = 0;

  before(async () => {
    world = await startWorld();
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-approvals-'));
    one = await startBot(world, world.botEnv({ STATE_DIRECTORY: stateDir }));
    two = await startBot(world, world.botEnv({ STATE_DIRECTORY: stateDir }));
    megan = userOf(world.seed, 0);
    lynne = userOf(world.seed, 5);
    state = new SqliteState(path.join(stateDir, 'state.db'));
    bindings = new CardBindings(state.records);
  });

  after(async () => {
    await one?.stop();
    await two?.stop();
    await state?.close();
    await world?.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    world.tenant.load(world.seed);
    world.tenant.clearLog();
  });

  async function press(
    b: BotProcess,
    who: Who,
    data: Record<string, unknown>,
    cardId: string,
    conversation = CHAT,
    extra = {},
  ) {
    const activity = {
      ...invoke(
        world,
        who,
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual', ...extra },
        conversation,
      ),
      replyToId: cardId,
    };
    const res = await post(world, b, activity);
    return { status: res.status, body: JSON.parse(res.body || '{}') as { type: string; value: unknown } };
  }

  /** A token for the user in this process: a Universal Actions click carrying their SSO token. */
  async function signIn(b: BotProcess, who: Who): Promise<void> {
    const t: Target = { operation: 'cancelRoleRequest', ids: { requestId: '00000000-0000-0000-0000-0000000000aa' } };
    const cardId = `warm-${who.aadObjectId}-${++warm}`;
    await bindings.bind(CHAT, cardId, [{ operation: t.operation, ids: t.ids }]);
    const sso = world.tenant.issueSsoToken(who.aadObjectId, world.seed.app.clientId);
    await press(b, who, { ...pressedData(t) }, cardId, CHAT, {
      authentication: { id: 'x', connectionName: '', token: sso },
    });
  }

  const patches = () => world.tenant.graphRequests().filter((r) => r.method === 'PATCH');

  /**
   * Stops both bots as production stops them (BotProcess.drain: each finishes its turns under way
   * and the work they started, such as the edit for everyone, first), then starts new ones on the
   * same state. After it no decision a press started can still reach Graph: the moment to assert
   * that it reached Graph once. The new bots hold no token yet.
   */
  async function settle(): Promise<void> {
    await Promise.all([one.drain(), two.drain()]);
    one = await startBot(world, world.botEnv({ STATE_DIRECTORY: stateDir }));
    two = await startBot(world, world.botEnv({ STATE_DIRECTORY: stateDir }));
  }

  it('two approvers press Approve on one card on two instances: one PATCH, both see the final card', async () => {
    await signIn(one, megan);
    await signIn(two, lynne);
    world.tenant.clearLog();
    const id = world.seed.examples.roleApprovalId;
    const approve: Target = { operation: 'decideRoleApproval', ids: { requestId: id }, decision: 'approve' };
    const cardId = 'card-approval-1';
    await bindings.bind(CHAT, cardId, [{ operation: approve.operation, ids: approve.ids }]);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2 === 0
          ? press(one, megan, { ...pressedData(approve) }, cardId)
          : press(two, lynne, { ...pressedData(approve) }, cardId),
      ),
    );
    assert.ok(
      results.every((r) => r.status === 200),
      JSON.stringify(results.map((r) => r.status)),
    );
    assert.equal(patches().length, 1, 'exactly one decision reached Graph');
    assert.equal(patches()[0]!.status, 204);
    const winner = patches()[0]!.tokenClaims?.oid === megan.aadObjectId ? 'Megan Bowen' : 'Lynne Robbins';
    for (const r of results) assert.match(JSON.stringify(r.body.value), new RegExp(`Approved by ${winner}`));
    assert.equal(world.tenant.getRoleRequest(id)?.status, 'Provisioned');
    // The edit for everyone follows the answer; waitFor fails the test when it never comes.
    const update = await world.waitFor((c) => c.method === 'PUT' && c.activityId === cardId);
    assert.ok(update, 'the card was replaced for everyone');
    assert.match(cardText(update), new RegExp(`Approved by ${winner}`));
    await settle();
    assert.equal(patches().length, 1, 'still one decision once both bots have finished all they were doing');
  });

  it('my approvals posts a list card; a row approved from it is decided once and the card changes in place', async () => {
    await signIn(one, megan);
    world.tenant.clearLog();
    const conversation = `a:personal-${megan.aadObjectId}`;
    const before = world.calls.length;
    const res = await post(world, one, message(world, megan, 'my approvals'));
    assert.equal(res.status, 200);
    const sent = await world.waitFor(
      (c) => world.calls.indexOf(c) >= before && c.method === 'POST' && /Waiting for your approval/.test(cardText(c)),
    );
    const cardId = `act-${world.calls.indexOf(sent) + 1}`;
    const content = (sent.activity.attachments as Array<{ content: { body: Array<Record<string, unknown>> } }>)[0]!
      .content;
    // The newest request comes first: Alex Wilber's access package request, 5 minutes old.
    const row = content.body.find((b) => b.type === 'Container')!;
    assert.match(JSON.stringify(row), /Access package · Contoso sales portal/);
    const approve = (
      row.items as Array<{ type: string; actions?: Array<{ title: string; data: Record<string, unknown> }> }>
    )
      .find((i) => i.type === 'ActionSet')!
      .actions!.flatMap(pressOf)
      .find((a) => a.title === 'Approve')!.data;
    const answer = await press(one, megan, approve, cardId, conversation);
    assert.equal(answer.status, 200);
    assert.match(JSON.stringify(answer.body.value), /Approved by Megan Bowen/);
    assert.equal(patches().length, 1);
    assert.equal(world.tenant.getAccessRequest('7999249e-249e-7999-9e24-99799e249985')?.state, 'delivered');
    // The edit for everyone follows the answer; waitFor fails the test when it never comes.
    const edit = await world.waitFor((c) => c.method === 'PUT' && c.activityId === cardId);
    assert.ok(edit, 'the list card was edited in place');
    await settle();
    assert.equal(patches().length, 1, 'still one decision once both bots have finished all they were doing');
  });
});
