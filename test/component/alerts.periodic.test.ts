// The periodic pass (reminders and the daily digest) over SQLite with an injected clock: a PIM
// request announced to its category is reminded once in the channels following "approvals" when it
// is within 4 hours of lapsing (PIM approvals lapse 24 h after the request:
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow);
// a request settled through the bot is not; an approval announced as such is reminded like its
// request, once per request; the digest goes once a day to the channels that opted in.

import { strict as assert } from 'node:assert';
import { WAITING_CAP } from '../../src/alerts/waitingList';
import { DIGEST_HOUR_UTC } from '../../src/alerts/periodic';
import { Alerts } from '../../src/notifications/alertsSetup';
import { SqliteState } from '../../src/state/sqlite';
import { HOUR, OPS, periodicAlerts, QUIET, TEAM } from '../fixtures/periodicAlerts';

/** A moment as the cards name it, by its minute: "2025-06-02 08:30 UTC". */
const utcMinute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

describe('alerts: reminders and the daily digest', () => {
  const rig = periodicAlerts('govbot-alerts-periodic-');
  const { world, announce } = rig;
  let state: SqliteState;
  let alerts: Alerts;

  beforeEach(() => {
    ({ state, alerts } = rig);
  });

  it("the outbox's periodic row also deletes the state records that expired", async () => {
    await state.records.create('turn:conversation-1:activity-1', true, { ttlMs: 10 * 60_000 });
    await state.records.put('claim:kept', { by: 'u1' }, 'none');
    await alerts.worker.startPeriodic();
    world.clock += 10 * 60_000;
    const row = await state.outbox.lease(30_000);
    assert.ok(row && alerts.worker.owns(row), 'the periodic row is due');
    await alerts.worker.handle(row, new AbortController().signal);
    assert.equal(await state.sweepExpired(), 0, 'the pass already swept the expired record');
    assert.deepEqual((await state.records.get('claim:kept'))?.value, { by: 'u1' });
  });

  it('reminds a pending PIM request once, 4 hours before it lapses, and not one settled meanwhile', async () => {
    await announce('pim-1', '11111111-1111-4111-8111-111111111111');
    await announce('pim-2', '22222222-2222-4222-8222-222222222222');
    await alerts.actions.publish({
      actionId: 'corr-1',
      operation: 'cancelRoleRequest',
      ids: { requestId: '22222222-2222-4222-8222-222222222222' },
      actor: { name: 'Megan Bowen', id: 'aad-megan' },
      outcome: 'succeeded',
      at: world.clock,
      via: 'card',
    });
    const periodic = alerts.periodic!;
    world.clock += 19 * HOUR; // 5 h before the 24 h lapse: too early
    assert.equal(await periodic.remind(), 0);
    world.clock += 1 * HOUR + 1;
    assert.equal(await periodic.remind(), 1, 'only the request still pending');
    assert.equal(await periodic.remind(), 0, 'once');
    const reminder = await alerts.store.get('reminder:roleRequest:11111111-1111-4111-8111-111111111111');
    assert.ok(reminder);
    assert.equal(reminder.category, 'approvals');
    // The moment, 24 h after the request was announced (the 19 h and 1 h above, plus the 4 h left).
    assert.ok(
      JSON.stringify(reminder.card.attachment.content).includes(
        `Approval expires at ${utcMinute(world.clock + 4 * HOUR - 1)}`,
      ),
    );
  });

  // A pass that sent and counted a reminder but died before marking it reminded: the next pass sends
  // it again (the same event id, so the fan-out posts nothing twice) and must not count it twice in
  // the day's digest.
  it('counts a reminder once in the digest when a pass that died before its mark sends it again', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    await announce('pim-1', id);
    world.clock += 20 * HOUR + 1;
    const periodic = alerts.periodic!;
    assert.equal(await periodic.remind(), 1);
    // The mark never made it (the process died between the count and the mark).
    assert.equal(await state.records.delete(`alerts:reminded:roleRequest:${id}`), true);
    assert.equal(await periodic.remind(), 1, 'sent again: the pass cannot know it was');
    const { day } = await alerts.digest.read('2025-06-02');
    assert.equal(day.counts.approvals?.reminded, 1, JSON.stringify(day));
  });

  // The approval of a PIM request has the request's id and lapses with it
  // (https://learn.microsoft.com/en-us/graph/api/resources/approval?view=graph-rest-beta).
  it('reminds a PIM approval announced to the approvals category, once, even when its request was announced too', async () => {
    const id = '44444444-4444-4444-8444-444444444444';
    await announce('pim-4', id);
    await announce('pim-4-approval', id, 'roleApproval');
    await announce('pim-5-approval', '55555555-5555-4555-8555-555555555555', 'roleApproval');
    world.clock += 20 * HOUR + 1;
    assert.equal(await alerts.periodic!.remind(), 2, 'one reminder per request');
    assert.ok(await alerts.store.get('reminder:roleRequest:55555555-5555-4555-8555-555555555555'));
  });

  // PIM for Groups approvals lapse like PIM role approvals, 24 h after the request (same page as above).
  it('reminds PIM for Groups requests and approvals under their own kind, once per request', async () => {
    const id = '66666666-6666-4666-8666-666666666666';
    await announce('grp-6', id, 'groupRequest');
    await announce('grp-6-approval', id, 'groupApproval');
    await announce('grp-7-approval', '77777777-7777-4777-8777-777777777777', 'groupApproval');
    world.clock += 20 * HOUR + 1;
    assert.equal(await alerts.periodic!.remind(), 2, 'one reminder per request');
    for (const request of [id, '77777777-7777-4777-8777-777777777777']) {
      const reminder = await alerts.store.get(`reminder:groupRequest:${request}`);
      assert.ok(reminder, `the reminder of ${request}`);
      assert.match(JSON.stringify(reminder.card.attachment.content), /PIM group request/);
    }
  });

  // The 24 h run from when the request was made, not from when its event arrived (same pages as
  // above): an event that says when (createdDateTime) is reminded 4 hours before that moment, and
  // one whose 24 h have passed is not waiting and never reminded ("expires at" a moment already past).
  it('counts a PIM approval from the createdDateTime its event states, and does not remind one already lapsed', async () => {
    const at = (ms: number) => new Date(ms).toISOString();
    const late = '12121212-1212-4212-8212-121212121212';
    const lapsed = '14141414-1414-4414-8414-141414141414';
    await announce('pim-12-approval', late, 'roleApproval', { createdDateTime: at(world.clock - 21 * HOUR) });
    await announce('grp-14-approval', lapsed, 'groupApproval', { createdDateTime: at(world.clock - 25 * HOUR) });
    const { waiting } = await alerts.digest.read('2025-06-02');
    assert.deepEqual(
      waiting.map((w) => [w.key, w.expiresAt]),
      [[`cancelRoleRequest:${late}`, world.clock + 3 * HOUR]],
      'the lapsed one is not waiting',
    );
    assert.equal(await alerts.periodic!.remind(), 1, 'within 4 hours of its lapse: reminded at once');
    const reminder = await alerts.store.get(`reminder:roleRequest:${late}`);
    assert.ok(
      JSON.stringify(reminder?.card.attachment.content).includes(
        `Approval expires at ${utcMinute(world.clock + 3 * HOUR)}`,
      ),
    );
    for (const hours of [17, 3]) {
      world.clock += hours * HOUR;
      assert.equal(await alerts.periodic!.remind(), 0, `${hours} h later: nothing more`);
    }
    assert.equal(await alerts.store.get(`reminder:groupRequest:${lapsed}`), null);
  });

  // A request announced without createdDateTime waits from its arrival; its approval stating when the
  // request was made corrects that.
  it('lets a waiting PIM request learn from its approval when it was made', async () => {
    const id = '15151515-1515-4515-8515-151515151515';
    await announce('pim-15', id);
    await announce('pim-15-approval', id, 'roleApproval', {
      createdDateTime: new Date(world.clock - 22 * HOUR).toISOString(),
    });
    assert.equal(await alerts.periodic!.remind(), 1, 'lapses in 2 h: reminded now, not 20 h from now');
  });

  it('does not remind a request approved or denied through the bot', async () => {
    const decided = (actionId: string, requestId: string, decision: 'approve' | 'deny') =>
      alerts.actions.publish({
        actionId,
        operation: 'decideRoleApproval',
        ids: { requestId },
        decision,
        actor: { name: 'Megan Bowen', id: 'aad-megan' },
        outcome: 'succeeded',
        at: world.clock,
        via: 'card',
      });
    await announce('pim-6', '66666666-6666-4666-8666-666666666666');
    await announce('pim-7-approval', '77777777-7777-4777-8777-777777777777', 'roleApproval');
    await decided('corr-6', '66666666-6666-4666-8666-666666666666', 'approve');
    await decided('corr-7', '77777777-7777-4777-8777-777777777777', 'deny');
    world.clock += 20 * HOUR + 1;
    assert.equal(await alerts.periodic!.remind(), 0);
  });

  // A decision the bot tried and found already made by someone else (DECIDED_ELSEWHERE: a read found
  // the request finished, not pending): the request no longer waits, so no reminder says it lapses
  // "unless someone decides".
  it('does not remind a request the bot found decided by someone else', async () => {
    const requestId = '12121212-1212-4212-8212-121212121212';
    await announce('pim-12-approval', requestId, 'roleApproval');
    await alerts.actions.publish({
      actionId: 'corr-12',
      operation: 'decideRoleApproval',
      ids: { requestId },
      decision: 'approve',
      actor: { name: 'Megan Bowen', id: 'aad-megan' },
      outcome: 'refused',
      errorCode: 'DECIDED_ELSEWHERE',
      at: world.clock,
      via: 'card',
    });
    world.clock += 20 * HOUR + 1;
    assert.equal(await alerts.periodic!.remind(), 0);
    const { waiting } = await alerts.digest.read('2025-06-02');
    assert.deepEqual(waiting, [], 'nor is it shown waiting in the digest');
  });

  // A pass told to stop (its row's lease was lost to another instance, or shutdown) writes nothing
  // more: the row's new holder runs the same pass, and both would count the reminder in the digest.
  it('a pass told to stop reminds nothing, and leaves the reminder to the next pass', async () => {
    await announce('pim-13', '13131313-1313-4313-8313-131313131313');
    world.clock += 20 * HOUR + 1;
    const stop = new AbortController();
    stop.abort(new Error('the periodic row was lost'));
    await assert.rejects(alerts.periodic!.run(stop.signal));
    assert.equal(await alerts.periodic!.remind(), 1, 'not reminded (nor marked) by the stopped pass');
  });

  it('reminds a PIM approval even when the waiting list is full of older access package requests of unknown lapse', async () => {
    // An access package request announced without approvalExpiresDateTime waits up to 30 days.
    for (let i = 0; i < WAITING_CAP; i++) {
      await alerts.digest.waiting({
        key: `cancelAccessPackageRequest:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        category: 'accessPackageRequests',
        title: `access ${i}`,
        since: world.clock - HOUR + i,
      });
    }
    await announce('pim-8', '88888888-8888-4888-8888-888888888888');
    const { waiting } = await alerts.digest.read('2025-06-02');
    assert.equal(waiting.length, WAITING_CAP, 'the list stays bounded');
    world.clock += 20 * HOUR + 1;
    assert.equal(await alerts.periodic!.remind(), 1, 'the PIM approval about to lapse is reminded');
  });

  it("sends yesterday's digest once, after the digest hour, only to the channels that opted in", async () => {
    await announce('pim-3', '33333333-3333-4333-8333-333333333333');
    const periodic = alerts.periodic!;
    assert.equal(await periodic.sendDigests(), 0, 'before the digest hour nothing goes');
    world.clock = Date.UTC(2025, 5, 3, DIGEST_HOUR_UTC - 1, 59, 59);
    // No pass ran from 01:00 on 2025-06-02 until now: 2025-06-01's digest, due then, goes late.
    assert.equal(await periodic.sendDigests(), 1, 'the next day, before the digest hour, only the missed one');
    assert.ok(await alerts.store.get(`digest:2025-06-01:${OPS}`));
    assert.equal(await alerts.store.get(`digest:2025-06-02:${OPS}`), null, "2025-06-02's not yet");
    world.clock = Date.UTC(2025, 5, 3, DIGEST_HOUR_UTC, 0, 1);
    assert.equal(await periodic.sendDigests(), 1);
    assert.equal(await periodic.sendDigests(), 0, 'once a day');
    const digest = await alerts.store.get(`digest:2025-06-02:${OPS}`);
    assert.ok(digest);
    assert.deepEqual(digest.channels, [{ teamId: TEAM, channelId: OPS }]);
    const text = JSON.stringify(digest.card.attachment.content);
    assert.match(text, /Governance digest for 2025-06-02/);
    assert.match(text, /1 announced/);
    assert.equal(await alerts.store.get(`digest:2025-06-02:${QUIET}`), null);
  });

  it("sends a channel's digest on a later pass when its fan-out could not be queued", async () => {
    world.clock = Date.UTC(2025, 5, 3, DIGEST_HOUR_UTC, 0, 1);
    const enqueue = state.outbox.enqueue.bind(state.outbox);
    let failOnce = true;
    Object.assign(state.outbox, {
      enqueue: async (id: string, payload: { eventId: string }, dueAt?: number) => {
        if (failOnce && id.startsWith('@alerts:fanout:digest:')) {
          failOnce = false;
          throw new Error('state store: enqueue failed');
        }
        return enqueue(id, payload, dueAt);
      },
    });
    await assert.rejects(alerts.periodic!.sendDigests(), /enqueue failed/);
    assert.ok(await alerts.store.get(`digest:2025-06-02:${OPS}`), 'the alert was stored, its fan-out not queued');
    world.clock += 5 * 60_000; // the next pass
    assert.equal(await alerts.periodic!.sendDigests(), 1);
    const row = await state.outbox.lease(30_000);
    assert.equal(row?.id, `@alerts:fanout:digest:2025-06-02:${OPS}`, "the channel's digest fan-out is queued");
    assert.equal(await alerts.periodic!.sendDigests(), 0, 'and only once');
  });
});
