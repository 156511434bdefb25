// Which refusals by Teams suspend a channel's alert subscription (alerts.channels.suspended.test.ts):
// a 403 with a code Teams does not document does (the conservative reading); the 403s of the
// bot's own deployment (InvalidBotApiHost: the public endpoint called for a GCC tenant's
// conversation; NotEnoughPermissions), a 404 for a message gone and any other refusal say nothing
// of the channel: the alert is dead-lettered and the channel stays subscribed. Refusals carry the
// body's error code as botframework-connector reads it (teamsError). The codes:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
// Through the real handler (TestAdapter, simulated tenant, SQLite).

import { strict as assert } from 'node:assert';
import { AlertsRig, CH_A, CH_B } from './alertsRig';
import { cardsOf } from './botRig';
import { refusedChannelSession } from './channelRefusals';

describe('channel alerts: which refusals suspend a channel', () => {
  const { session, owner, auditLines, install, refuseIn, statesOf } = refusedChannelSession();
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
  });

  it('a 403 naming no code Teams documents still suspends (the conservative reading)', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await a.say(owner(), CH_B, 'alerts on role-requests');
    refuseIn(CH_A, 403, 'SomethingNew');
    await a.announceRoleRequest('ev-1');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
      [CH_B],
    );
    assert.deepEqual(
      auditLines('alerts.subscription.suspended').map((l) => [l.channelId, l.status]),
      [[CH_A, 403]],
    );
  });

  for (const code of ['InvalidBotApiHost', 'NotEnoughPermissions']) {
    it(`a 403 ${code} (the bot's deployment) dead-letters the alert naming it, logged; the channel stays subscribed`, async () => {
      await install();
      await a.say(owner(), CH_A, 'alerts on role-requests');
      const tries = refuseIn(CH_A, 403, code);
      await a.announceRoleRequest('ev-1');
      assert.deepEqual(await statesOf('ev-1'), { [CH_A]: 'deadLetter' });
      const [dead] = (await a.alerts.channels('ev-1')) ?? [];
      assert.match(dead?.reason ?? '', new RegExp(`\\(403 ${code}\\)`));
      assert.match(dead?.reason ?? '', /administrator/);
      assert.deepEqual(
        auditLines('alerts.delivery.deploymentFault').map((l) => [l.status, l.code]),
        [[403, code]],
      );
      assert.deepEqual(auditLines('alerts.subscription.suspended'), [], 'not suspended');
      assert.deepEqual(
        (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
        [CH_A],
      );
      assert.doesNotMatch(cardsOf((await a.say(owner(), CH_A, 'alerts')).sent), /suspended/i);

      // Fixed by an administrator: the next alert is posted there, with the same choices.
      a.sendImpl = null;
      await a.announceRoleRequest('ev-2');
      assert.equal(tries.get(CH_A), 1);
      assert.deepEqual(await statesOf('ev-2'), { [CH_A]: 'delivered' });
    });
  }

  it('a 404 ActivityNotFoundInConversation (a message gone, not the channel) suspends nothing', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    refuseIn(CH_A, 404, 'ActivityNotFoundInConversation');
    await a.announceRoleRequest('ev-1');
    assert.deepEqual(await statesOf('ev-1'), { [CH_A]: 'deadLetter' });
    assert.deepEqual(auditLines('alerts.subscription.suspended'), []);
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
      [CH_A],
    );
  });

  it('another refusal (400) dead-letters that alert only; the channel stays subscribed', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    refuseIn(CH_A, 400);
    await a.announceRoleRequest('ev-1');
    assert.deepEqual(await statesOf('ev-1'), { [CH_A]: 'deadLetter' });
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
      [CH_A],
    );
    assert.deepEqual(auditLines('alerts.subscription.suspended'), []);
  });
});
