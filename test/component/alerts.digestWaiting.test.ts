// The daily digest's "Oldest items still waiting" as a channel receives it, over SQLite with an
// injected clock: a PIM request announced to "roleRequests" and then its approval to "approvals" is
// one waiting item (the README: an approval has its request's id) that the digest of a channel
// following only "approvals" lists; an item of unknown lapse announced more than 30 days ago is no
// longer shown, though nothing has written the waiting list since.

import { strict as assert } from 'node:assert';
import { DIGEST_HOUR_UTC } from '../../src/alerts/periodic';
import { HOUR, TEAM, periodicAlerts } from '../fixtures/periodicAlerts';

const APPROVERS = '19:approvers@thread.tacv2';
const PACKAGES = '19:packages@thread.tacv2';
const actor = { userId: 'owner', correlationId: 'c' };
const DAY = 24 * HOUR;

describe('alerts: the items the daily digest shows waiting', () => {
  const rig = periodicAlerts('govbot-alerts-digest-waiting-');
  const { world, announce } = rig;

  /** The digest `channelId` received for the day before the clock's, as text. */
  const digestOf = async (channelId: string): Promise<string> => {
    const clock = world.clock;
    const today = Date.parse(new Date(clock).toISOString().slice(0, 10) + 'T00:00:00Z');
    world.clock = Math.max(clock, today + DIGEST_HOUR_UTC * HOUR + 1);
    assert.ok((await rig.alerts.periodic!.sendDigests()) >= 1, 'a digest went out');
    const date = new Date(today - 1).toISOString().slice(0, 10);
    const digest = await rig.alerts.store.get(`digest:${date}:${channelId}`);
    assert.ok(digest, `the digest of ${date} to ${channelId}`);
    return JSON.stringify(digest.card.attachment.content);
  };

  // A PIM approval waits for an approver until 24 h after the request
  // (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow):
  // the channel of its approvers is told so, whichever category announced the request first.
  it('lists a PIM approval waiting in the digest of a channel following only "approvals", its request announced first', async () => {
    await rig.alerts.subscriptions.setCategory({ teamId: TEAM, channelId: APPROVERS }, 'approvals', true, actor);
    await rig.alerts.subscriptions.setDigest({ teamId: TEAM, channelId: APPROVERS }, true, actor);
    const id = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
    await announce('pim-1', id); // roleRequest, to "roleRequests"
    world.clock += 60_000;
    await announce('pim-1-approval', id, 'roleApproval'); // to "approvals"
    world.clock += 5 * HOUR; // the next day, after the digest hour: still 18 h before it lapses
    const text = await digestOf(APPROVERS);
    assert.match(text, /Adele Vance requested Global Reader/);
    assert.doesNotMatch(text, /Nothing in the categories this channel follows is waiting for a decision/);
  });

  // The README: each write of the list lets go of the items of unknown lapse announced more than 30
  // days ago; a quiet tenant may not write it for longer than that.
  it('does not list an access package request of unknown lapse announced more than 30 days ago', async () => {
    await rig.alerts.subscriptions.setCategory(
      { teamId: TEAM, channelId: PACKAGES },
      'accessPackageRequests',
      true,
      actor,
    );
    await rig.alerts.subscriptions.setDigest({ teamId: TEAM, channelId: PACKAGES }, true, actor);
    await rig.alerts.digest.waiting({
      key: 'cancelAccessPackageRequest:00000000-0000-4000-8000-000000000001',
      category: 'accessPackageRequests',
      title: 'Adele Vance requested Tools',
      since: world.clock,
    });
    world.clock += 29 * DAY;
    assert.match(await digestOf(PACKAGES), /Adele Vance requested Tools/, 'still waiting after 29 days');
    world.clock += 2 * DAY;
    const text = await digestOf(PACKAGES);
    assert.doesNotMatch(text, /Adele Vance requested Tools/);
    assert.match(text, /Nothing in the categories this channel follows is waiting for a decision/);
  });
});
