// A personal install is welcomed once for as long as the app stays installed, not once per ten
// minutes. Teams recommends the welcome the first time a user starts the personal chat:
// https://learn.microsoft.com/en-us/microsoftteams/platform/resources/bot-v3/bot-conversations/bots-conv-personal#best-practice-welcome-messages-in-teams
// A conversationUpdate with the bot in membersAdded may come again for the same installed app
// (Graph's "Get chat between user and teamsApp" has been seen to send one on every call:
// https://github.com/microsoftgraph/microsoft-graph-docs/issues/20348), and a welcome then would be
// a second one. Removing the app (installationUpdate remove) ends the install: installing it again
// is a first start, welcomed again:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#installation-update-event

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { Activity } from 'botbuilder';
import { Clock, systemClock } from '../../src/domain/clock';
import { Rig, User, cardsOf } from './botRig';

function botAdded(rig: Rig, user: User): Partial<Activity> {
  return rig.activity(user, {
    type: 'conversationUpdate',
    membersAdded: [{ id: '28:bot', name: 'Governance Bot' }],
  });
}

const install = (rig: Rig, user: User, action: string): Partial<Activity> =>
  rig.activity(user, { type: 'installationUpdate', action });

describe('the welcome of a personal install, later', () => {
  let dir: string;
  let rig: Rig;
  let later = 0;
  const clock: Clock = { now: () => Date.now() + later, sleep: systemClock.sleep };
  beforeEach(() => {
    later = 0;
    dir = Rig.dir();
    rig = new Rig(dir, { silent: true, clock });
  });
  afterEach(async () => {
    await rig.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the bot in membersAdded again an hour or a month after the install: no second welcome', async () => {
    const user = rig.user(0);
    assert.match(cardsOf((await rig.turn(install(rig, user, 'add'))).sent), /Welcome to Governance Bot/);
    later = 60 * 60_000;
    assert.equal((await rig.turn(botAdded(rig, user))).sent.length, 0, 'an hour later');
    later = 30 * 24 * 3_600_000;
    assert.equal((await rig.turn(botAdded(rig, user))).sent.length, 0, 'a month later');
  });

  it('removed, then installed again: welcomed again', async () => {
    const user = rig.user(0);
    assert.equal((await rig.turn(botAdded(rig, user))).sent.length, 1);
    assert.equal((await rig.turn(install(rig, user, 'remove'))).sent.length, 0);
    assert.match(cardsOf((await rig.turn(install(rig, user, 'add'))).sent), /Welcome to Governance Bot/);
    assert.equal((await rig.turn(botAdded(rig, user))).sent.length, 0, 'its other event finds the mark');
  });

  it('added on one instance, removed on another, then installed again: welcomed again, once', async () => {
    const user = rig.user(0);
    const other = new Rig(dir, { silent: true, clock });
    try {
      assert.match(cardsOf((await rig.turn(install(rig, user, 'add'))).sent), /Welcome to Governance Bot/);
      assert.equal((await other.turn(botAdded(other, user))).sent.length, 0, 'the other instance finds the mark');
      assert.equal((await other.turn(install(other, user, 'remove'))).sent.length, 0);
      assert.match(cardsOf((await rig.turn(install(rig, user, 'add'))).sent), /Welcome to Governance Bot/);
      assert.equal((await other.turn(botAdded(other, user))).sent.length, 0, 'its other event, on the other instance');
    } finally {
      await other.close();
    }
  });
});
