// A personal install is welcomed once. Teams recommends a welcome message in a personal chat the
// first time a user starts it (not for first contact in a channel):
// https://learn.microsoft.com/en-us/microsoftteams/platform/resources/bot-v3/bot-conversations/bots-conv-personal#best-practice-welcome-messages-in-teams
// Installing the app for a user sends conversationUpdate with the bot in membersAdded and
// installationUpdate `add`, both in the personal conversation:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
// Either may come first, each may be redelivered, and they may reach two instances: one welcome.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { Activity } from 'botbuilder';
import { Rig, User, cardsOf } from './botRig';

function botAdded(rig: Rig, user: User): Partial<Activity> {
  return rig.activity(user, {
    type: 'conversationUpdate',
    membersAdded: [
      { id: user.id, name: user.name },
      { id: '28:bot', name: 'Governance Bot' },
    ],
  });
}

function installed(rig: Rig, user: User): Partial<Activity> {
  return rig.activity(user, { type: 'installationUpdate', action: 'add' });
}

describe('the welcome of a personal install', () => {
  let dir: string;
  let rig: Rig;
  beforeEach(() => {
    dir = Rig.dir();
    rig = new Rig(dir, { silent: true });
  });
  afterEach(async () => {
    await rig.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the bot added to a personal chat: one welcome card with its summary, saying how to see the commands', async () => {
    const { sent } = await rig.turn(botAdded(rig, rig.user(0)));
    assert.equal(sent.length, 1);
    assert.match(cardsOf(sent), /Welcome to Governance Bot/);
    assert.match(cardsOf(sent), /Type \\"help\\" to see every command/);
    assert.equal(typeof sent[0]?.summary, 'string');
    assert.notEqual(sent[0]?.summary, '');
  });

  it('installationUpdate after conversationUpdate (and again): welcomed once', async () => {
    const user = rig.user(0);
    const first = await rig.turn(installed(rig, user));
    assert.equal(first.sent.length, 1);
    assert.equal((await rig.turn(botAdded(rig, user))).sent.length, 0);
    assert.equal((await rig.turn(installed(rig, user))).sent.length, 0);
    // Another user's install is theirs to be welcomed.
    assert.equal((await rig.turn(botAdded(rig, rig.user(1)))).sent.length, 1);
  });

  it('the same install reaching two instances: welcomed once', async () => {
    const other = new Rig(dir, { silent: true });
    try {
      const user = rig.user(0);
      const a = await rig.turn(botAdded(rig, user));
      const b = await other.turn(installed(other, user));
      assert.equal(a.sent.length + b.sent.length, 1);
    } finally {
      await other.close();
    }
  });

  it('an upgrade of the app (installationUpdate add-upgrade) is not an install: no welcome', async () => {
    // Teams sends add-upgrade when an installed app is upgraded; botbuilder routes it with `add`:
    // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#installation-update-event
    const upgrade = rig.activity(rig.user(0), { type: 'installationUpdate', action: 'add-upgrade' });
    assert.equal((await rig.turn(upgrade)).sent.length, 0);
  });

  it('a member other than the bot added, or a group chat: no personal welcome', async () => {
    const user = rig.user(0);
    const member = rig.activity(user, { type: 'conversationUpdate', membersAdded: [{ id: user.id, name: user.name }] });
    assert.equal((await rig.turn(member)).sent.length, 0);
    const group = rig.activity(user, {
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:bot', name: 'Governance Bot' }],
      conversation: { id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true, name: '' },
    });
    assert.doesNotMatch(cardsOf((await rig.turn(group)).sent), /Welcome to Governance Bot/);
  });
});
