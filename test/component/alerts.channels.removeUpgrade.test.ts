// `installationUpdate` with action `remove-upgrade`: Microsoft documents it as sent when an upgrade
// of the app removes its bot ("When you upgrade an application, and then add or remove a bot, the
// action also triggers the installationUpdate event. The action field is set to add-upgrade if you
// add a bot or remove-upgrade if you remove a bot":
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#installation-update-event).
// The app's new version has no bot, so the bot has left the team: its channels are forgotten, as at
// `remove` (botbuilder routes both to onInstallationUpdateRemove), not kept for a bot that cannot
// post there.

import { strict as assert } from 'node:assert';
import { CH_A } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';

describe('channel alerts: the bot removed from the app by an upgrade', () => {
  const session = channelAlertsSession();
  const { owner, install, auditLines } = session;

  it('forgets the team at installationUpdate remove-upgrade, as at remove', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on actions');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('actions')).map((c) => c.channelId),
      [CH_A],
    );
    await a.rig.turn(
      a.inChannel(owner(), CH_A, {
        type: 'installationUpdate',
        action: 'remove-upgrade',
        conversation: { id: CH_A, conversationType: 'channel', isGroup: true, name: '' },
      }),
    );
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('actions'), []);
    const ended = auditLines('alerts.subscription').filter((l) => l.via === 'teamRemoved');
    assert.deepEqual(
      ended.map((l) => [l.channelId, l.category]),
      [[CH_A, 'actions']],
    );
  });
});
