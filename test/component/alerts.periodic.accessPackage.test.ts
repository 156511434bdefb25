// The periodic pass's reminders of access package approvals, over SQLite with an injected clock: an
// approval lapses at the moment its policy stage says, which the event announcing it may carry; a
// later event's moment (a later stage) is taken; one already past is neither reminded nor shown
// waiting in the digest.

import { strict as assert } from 'node:assert';
import { alertCardAt } from '../../src/alerts/alertStore';
import { DIGEST_HOUR_UTC } from '../../src/alerts/periodic';
import { Alerts } from '../../src/notifications/alertsSetup';
import { HOUR, OPS, periodicAlerts } from '../fixtures/periodicAlerts';

describe('alerts: reminders of access package approvals', () => {
  const rig = periodicAlerts('govbot-alerts-periodic-access-');
  const { world, announce } = rig;
  let alerts: Alerts;

  beforeEach(() => {
    ({ alerts } = rig);
  });

  // An access package approval lapses when its policy stage says
  // (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage): the event
  // that announces it may carry that moment, even after the request was announced without it.
  it('reminds an access package approval 4 hours before the moment its event gave, and none without one', async () => {
    const id = '88888888-8888-4888-8888-888888888888';
    const lapses = new Date(world.clock + 14 * 24 * HOUR).toISOString();
    await announce('em-8', id, 'accessRequest');
    await announce('em-8-approval', id, 'accessApproval', { approvalExpiresDateTime: lapses });
    await announce('em-9-approval', '99999999-9999-4999-8999-999999999999', 'accessApproval');
    world.clock += 14 * 24 * HOUR - 5 * HOUR; // 5 h before: too early
    assert.equal(await alerts.periodic!.remind(), 0);
    world.clock += 1 * HOUR + 1;
    assert.equal(await alerts.periodic!.remind(), 1, 'only the approval whose moment is known');
    const reminder = await alerts.store.get(`reminder:accessPackageRequest:${id}`);
    assert.ok(reminder);
    const words = JSON.stringify(reminder.card.attachment.content);
    assert.match(words, /access package request lapses then/);
    assert.ok(words.includes(`Approval expires at ${lapses.slice(0, 16).replace('T', ' ')} UTC`), words);
    // A channel posted after the moment (the fan-out is paced, retried, or held up) is told it ended.
    assert.equal(reminder.ended?.at, Date.parse(lapses));
    const late = JSON.stringify(alertCardAt(reminder, Date.parse(lapses) + 1).attachment.content);
    assert.match(late, /The approval time has ended/);
    assert.doesNotMatch(late, /Approval expires/);
  });

  it('takes the moment a later event states for an access package approval (a later stage)', async () => {
    const id = '10101010-1010-4010-8010-101010101010';
    await announce('em-10-stage-1', id, 'accessApproval', {
      approvalExpiresDateTime: new Date(world.clock + 2 * 24 * HOUR).toISOString(),
    });
    await announce('em-10-stage-2', id, 'accessApproval', {
      approvalExpiresDateTime: new Date(world.clock + 5 * 24 * HOUR).toISOString(),
    });
    world.clock += 2 * 24 * HOUR - 3 * HOUR; // within 4 h of the first moment, long before the second
    assert.equal(await alerts.periodic!.remind(), 0);
    world.clock += 3 * 24 * HOUR; // within 4 h of the second
    assert.equal(await alerts.periodic!.remind(), 1);
  });

  // "A reminder once" (README "Channel alerts"): the reminder's event id is the request's, so a
  // second one would keep the first card and its finished fan-out and post nothing. A later stage
  // restated more than 3 days after the first reminder found the "reminded" mark expired: the pass
  // counted a reminder in that day's digest that no channel received.
  it('reminds a request once, and counts no reminder it did not post, a later stage restated days after', async () => {
    const id = '12121212-1212-4212-8212-121212121212';
    await announce('em-12-stage-1', id, 'accessApproval', {
      approvalExpiresDateTime: new Date(world.clock + 2 * 24 * HOUR).toISOString(),
    });
    world.clock += 2 * 24 * HOUR - 3 * HOUR;
    assert.equal(await alerts.periodic!.remind(), 1, 'the first stage is reminded');
    const first = JSON.stringify((await alerts.store.get(`reminder:accessPackageRequest:${id}`))?.card);
    // Stage 1 approved outside the bot; stage 2 lapses 6 days on.
    world.clock += HOUR;
    await announce('em-12-stage-2', id, 'accessApproval', {
      approvalExpiresDateTime: new Date(world.clock + 6 * 24 * HOUR).toISOString(),
    });
    world.clock += 6 * 24 * HOUR - 3 * HOUR;
    const day = new Date(world.clock).toISOString().slice(0, 10);
    assert.equal(await alerts.periodic!.remind(), 0, 'once per request');
    const { day: counts } = await alerts.digest.read(day);
    assert.equal(counts.counts.approvals?.reminded, undefined, `no reminder counted on ${day}`);
    assert.equal(JSON.stringify((await alerts.store.get(`reminder:accessPackageRequest:${id}`))?.card), first);
  });

  // A stated moment already past: that approval was denied automatically then
  // (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage), so it no longer
  // waits. The intake takes such an event (with a notice); no reminder may be sent for it, and the
  // digest may not show it waiting: neither when it is new, nor when its request was announced
  // before without a moment (the item learns it has lapsed), nor when an earlier stage's moment was ahead.
  it('neither reminds nor shows waiting an access package approval whose stated moment has passed', async () => {
    const past = new Date(world.clock - 2 * HOUR).toISOString();
    const fresh = '14141414-1414-4414-8414-141414141414';
    const known = '15151515-1515-4515-8515-151515151515';
    const restated = '16161616-1616-4616-8616-161616161616';
    const control = '17171717-1717-4717-8717-171717171717';
    await announce('em-15', known, 'accessRequest', { title: 'lapsed: request announced first' });
    await announce('em-16-stage-1', restated, 'accessApproval', {
      title: 'lapsed: restated',
      approvalExpiresDateTime: new Date(world.clock + 3 * HOUR).toISOString(),
    });
    await announce('em-17', control, 'accessRequest', { title: 'still waiting: no moment stated' });
    await announce('em-14-approval', fresh, 'accessApproval', { title: 'lapsed: new', approvalExpiresDateTime: past });
    await announce('em-16-stage-2', restated, 'accessApproval', { approvalExpiresDateTime: past });
    // Last: the list now holds this item with its lapse learned (the next write lets it go).
    await announce('em-15-approval', known, 'accessApproval', { approvalExpiresDateTime: past });
    assert.equal(await alerts.periodic!.remind(), 0, 'no reminder for an approval already lapsed');
    const { waiting } = await alerts.digest.read('2025-06-02');
    assert.equal(
      waiting.some((w) => w.key.endsWith(fresh)),
      false,
      'an item already lapsed never joins the list',
    );
    assert.equal(
      waiting.some((w) => w.key.endsWith(restated)),
      false,
      'one that learnt it has lapsed is let go at the next write',
    );
    world.clock = Date.UTC(2025, 5, 3, DIGEST_HOUR_UTC, 0, 1);
    assert.equal(await alerts.periodic!.remind(), 0);
    assert.equal(await alerts.periodic!.sendDigests(), 1);
    const digest = await alerts.store.get(`digest:2025-06-02:${OPS}`);
    assert.ok(digest);
    const text = JSON.stringify(digest.card.attachment.content);
    assert.match(text, /still waiting: no moment stated/, 'the digest lists what still waits');
    assert.doesNotMatch(text, /lapsed:/);
    for (const id of [fresh, known, restated])
      assert.equal(await alerts.store.get(`reminder:accessPackageRequest:${id}`), null, id);
  });
});
