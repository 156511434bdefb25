// A day's digest is due after 07:00 UTC the next day (README "Channel alerts"). When no pass
// finished that day's round before midnight (the bot down from 07:00 to midnight, a channel failing
// all that time), the digest was lost for good: the next pass only looked at its own yesterday. It
// is now sent at the next pass, marked as late, once (the same event id as on time), and only for
// days due since passes have been looking for digests (a new deployment sends no backlog).

import { strict as assert } from 'node:assert';
import { DIGEST_HOUR_UTC } from '../../src/alerts/periodic';
import { OPS, periodicAlerts } from '../fixtures/periodicAlerts';

describe('alerts: a daily digest missed while the bot was down', () => {
  const rig = periodicAlerts('govbot-alerts-late-digest-');
  const { world, announce } = rig;
  const text = async (eventId: string) => {
    const alert = await rig.alerts.store.get(eventId);
    assert.ok(alert, `${eventId} was published`);
    return JSON.stringify(alert.card.attachment.content);
  };

  it('sends it, marked late, at the next pass after the day it was due, once', async () => {
    const periodic = rig.alerts.periodic!;
    assert.equal(await periodic.sendDigests(), 0, '2025-06-02 01:00: no digest of earlier days, none is due');
    await announce('pim-late-1', '44444444-4444-4444-8444-444444444444');
    // Down from 2025-06-02 01:00 to 2025-06-04 02:00: no pass after 07:00 on 2025-06-02 nor on
    // 2025-06-03, when the digests of 2025-06-01 and 2025-06-02 were due.
    world.clock = Date.UTC(2025, 5, 4, 2, 0, 0);
    assert.equal(await periodic.sendDigests(), 2, 'the digests of 2025-06-01 and 2025-06-02, late');
    assert.match(await text(`digest:2025-06-01:${OPS}`), /Nothing happened on 2025-06-01 \(UTC\)/);
    const late = await text(`digest:2025-06-02:${OPS}`);
    assert.match(late, /Governance digest for 2025-06-02 \(sent late\)/);
    assert.match(late, /Sent late: it could not be sent on the day it was due\./);
    assert.match(late, /1 announced/);
    assert.equal(await periodic.sendDigests(), 0, 'once');
    world.clock = Date.UTC(2025, 5, 4, DIGEST_HOUR_UTC, 0, 1);
    assert.equal(await periodic.sendDigests(), 1, "2025-06-03's digest, on time");
    assert.doesNotMatch(await text(`digest:2025-06-03:${OPS}`), /late/);
    // Down all of 2025-06-05: 2025-06-04's digest is late, 2025-06-03's (sent on time) is not sent again.
    world.clock = Date.UTC(2025, 5, 6, 1, 0, 0);
    assert.equal(await periodic.sendDigests(), 1);
    assert.match(await text(`digest:2025-06-04:${OPS}`), /\(sent late\)/);
  });

  it('sends no late digest of the days before passes first looked for digests', async () => {
    world.clock = Date.UTC(2025, 5, 9, 2, 0, 0);
    // A fresh state, as the fixture's beforeEach gives each test: the first pass is this one.
    assert.equal(await rig.alerts.periodic!.sendDigests(), 0);
  });
});
