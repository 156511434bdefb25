// GET /api/notifications/{eventId} answers for the alerts the bot makes itself, not only for an
// action's (`action:<correlationId>`): an approval's reminder (`reminder:<kind>:<requestId>`) and a
// channel's daily digest (`digest:<YYYY-MM-DD>:<channelId>`) are reported the same way, as
// `{"eventId","state","channels"}` (README, "GET /api/notifications/{eventId}"). The caller holds
// Notifications.Send, and learns no more than the status of any event it sends to a category tells
// it: the subscribed channels and their posts.

import { strict as assert } from 'node:assert';
import { DIGEST_HOUR_UTC } from '../../src/alerts/periodic';
import { HOUR, OPS, TEAM, periodicAlerts } from '../fixtures/periodicAlerts';

describe("the status of the bot's own reminders and digests", () => {
  const rig = periodicAlerts('govbot-alerts-own-status-');
  const { world, announce } = rig;
  /** Hands every fan-out row due to the alert worker, as its loop would: each plans its channels. */
  const fanOut = async () => {
    for (let row = await rig.state.outbox.lease(30_000); row; row = await rig.state.outbox.lease(30_000))
      if (row.id.startsWith('@alerts:fanout:')) await rig.alerts.worker.handle(row, new AbortController().signal);
  };

  it('reports a reminder and a digest by their ids, with the channels they were sent to', async () => {
    const request = '11111111-1111-4111-8111-111111111111';
    await announce('pim-1', request);
    world.clock += 20 * HOUR + 1;
    assert.equal(await rig.alerts.periodic!.remind(), 1);
    await fanOut();
    const reminder = await rig.alerts.channels(`reminder:roleRequest:${request}`, null);
    assert.deepEqual(
      reminder?.map((c) => [c.teamId, c.channelId]),
      [[TEAM, OPS]],
    );
    world.clock = Date.UTC(2025, 5, 3, DIGEST_HOUR_UTC, 0, 1);
    assert.equal(await rig.alerts.periodic!.sendDigests(), 1);
    await fanOut();
    const digest = await rig.alerts.channels(`digest:2025-06-02:${OPS}`, null);
    assert.deepEqual(
      digest?.map((c) => [c.teamId, c.channelId]),
      [[TEAM, OPS]],
    );
    assert.equal(await rig.alerts.channels('reminder:roleRequest:22222222-2222-4222-8222-222222222222', null), null);
  });
});
