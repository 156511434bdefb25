// "Every change writes one line" (README "Channel alerts"), the bot's own too: when it is removed
// from a team, each subscription it ends is audited with `via` `teamRemoved`. Teams tells it twice
// (conversationUpdate membersRemoved and installationUpdate remove:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events),
// and a store that fails in the middle of the first leaves the rest to the second. The lines of the
// channels already forgotten were written only once the whole team was: a failure after the first
// channel lost its line for good (the second event finds nothing left to change there).

import { strict as assert } from 'node:assert';
import { StateUnavailableError } from '../../src/state/port';
import { CH_A, CH_B } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';

describe('channel alerts: the bot removed from the team while the store fails', () => {
  const session = channelAlertsSession();
  const { owner, install, auditLines } = session;

  it('each subscription ended is audited once, whichever of the two removal events ended it', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on actions');
    await a.say(owner(), CH_B, 'alerts on role-requests');

    // The store fails the forgetting of the second channel, once.
    const subscriptions = a.alerts.subscriptions;
    const forget = subscriptions.forgetChannel.bind(subscriptions);
    const forgotten: string[] = [];
    let failed = false;
    subscriptions.forgetChannel = async (...args: Parameters<typeof forget>) => {
      if (forgotten.length === 1 && !failed) {
        failed = true;
        throw new StateUnavailableError('state store: the write failed');
      }
      forgotten.push(args[0]);
      return forget(...args);
    };
    await a.teamEvent(owner(), 'removed').catch(() => undefined);
    assert.ok(failed, 'the first removal event met the failure');
    // Teams' second word of the removal: the installation removed.
    await a.rig
      .turn(
        a.inChannel(owner(), CH_A, {
          type: 'installationUpdate',
          action: 'remove',
          conversation: { id: CH_A, conversationType: 'channel', isGroup: true, name: '' },
        }),
      )
      .catch(() => undefined);

    assert.deepEqual(await subscriptions.channelsFor('actions'), []);
    assert.deepEqual(await subscriptions.channelsFor('roleRequests'), []);
    const ended = auditLines('alerts.subscription')
      .filter((l) => l.via === 'teamRemoved')
      .map((l) => `${String(l.channelId)} ${String(l.category)}`)
      .sort();
    assert.deepEqual(ended, [`${CH_A} actions`, `${CH_B} roleRequests`].sort());
  });
});
