// A channel whose alerts are suspended (Teams refused a post there: 403 or 404,
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis)
// resumes when someone saves its settings there, and its settings card tells them so ("they apply
// again ... when someone saves them here"). A Save that leaves every choice as it was, or a typed
// `alerts on` of a category already on, does change something then: the channel hears alerts
// again. The answer says so, not "nothing changed".

import { strict as assert } from 'node:assert';
import { AlertsRig, CH_A } from './alertsRig';
import { cardsOf } from './botRig';
import { refusedChannelSession } from './channelRefusals';

const CARD = 'settings-card-1';

describe('channel alerts: a save that resumes a suspended channel says so', () => {
  const { session, owner, install, refuseIn } = refusedChannelSession();
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
  });

  /** CH_A subscribed to role requests, then suspended by a refused post. */
  async function suspended(): Promise<void> {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    refuseIn(CH_A, 403);
    await a.announceRoleRequest('ev-1');
    assert.ok((await a.alerts.subscriptions.get(CH_A))?.suspended, 'suspended');
    a.sendImpl = null;
  }

  it('the card’s Save with every choice as it was', async () => {
    await suspended();
    const same = { roleRequests: 'true', digest: 'false' };
    const saved = JSON.stringify((await a.rig.turn(a.saveClick(owner(), CH_A, CARD, same))).invoke?.body);
    assert.equal((await a.alerts.subscriptions.get(CH_A))?.suspended, undefined, 'resumed');
    assert.doesNotMatch(saved, /nothing changed/);
    assert.match(saved, /alerts to this channel resume/i);
  });

  it('the card’s Save that changes a choice says both', async () => {
    await suspended();
    const more = { roleRequests: 'true', actions: 'true', digest: 'false' };
    const saved = JSON.stringify((await a.rig.turn(a.saveClick(owner(), CH_A, CARD, more))).invoke?.body);
    assert.match(saved, /turned on Actions taken through the bot/);
    assert.match(saved, /alerts to this channel resume/i);
  });

  it('a typed `alerts on` of a category already on', async () => {
    await suspended();
    const typed = cardsOf((await a.say(owner(), CH_A, 'alerts on role-requests')).sent);
    assert.doesNotMatch(typed, /nothing changed/);
    assert.match(typed, /alerts to this channel resume/i);
  });

  it('a channel that was not suspended is told nothing of a resumption', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    const typed = cardsOf((await a.say(owner(), CH_A, 'alerts on role-requests')).sent);
    assert.match(typed, /nothing changed/);
    assert.doesNotMatch(typed, /resume/i);
    const same = { roleRequests: 'true', digest: 'false' };
    const saved = JSON.stringify((await a.rig.turn(a.saveClick(owner(), CH_A, CARD, same))).invoke?.body);
    assert.match(saved, /nothing changed/);
    assert.doesNotMatch(saved, /resume/i);
  });
});
