// Who may save a channel's alert settings, as the settings card says it: the team's owners, and
// members of the Entra group in ALERTS_ADMIN_GROUP_ID only when one is configured (README,
// Configuration: "none: team owners only"). A card that named "the group your administrator chose"
// in a deployment with none sent people looking for a group that does not exist.

import { strict as assert } from 'node:assert';
import { settingsCard } from '../../src/alerts/cards';
import { AlertsRig, CH_A } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';

const GROUP_WORDS = /group your administrator chose/;

describe('the settings card names the admin group only when one is configured', () => {
  const session = channelAlertsSession();
  const { owner } = session;
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
  });

  it('with no ALERTS_ADMIN_GROUP_ID (the rig has none): the team owners only', async () => {
    // As install() does, keeping the cards the bot's addition posts.
    a.roles.set(owner().id, 'owner');
    a.groupOwners.add(owner().aadObjectId);
    const installed = cardsOf((await a.teamEvent(owner(), 'added')).sent);
    assert.match(installed, /Only the team's owners can save changes\./, 'the card posted when the bot is added');
    assert.doesNotMatch(installed, GROUP_WORDS);
    const shown = cardsOf((await a.say(owner(), CH_A, 'alerts')).sent);
    assert.match(shown, /Only the team's owners can save changes\./, 'the card of the alerts command');
    assert.doesNotMatch(shown, GROUP_WORDS);
    const saved = await a.rig.turn(a.saveClick(owner(), CH_A, 'card-1', { actions: 'true' }));
    const left = JSON.stringify(saved.invoke?.body);
    assert.match(left, /Only the team's owners can save changes\./, `the card a Save leaves: ${left.slice(0, 300)}`);
    assert.doesNotMatch(left, GROUP_WORDS, 'the card a Save leaves');
  });

  it('with an admin group: its members are named beside the owners', () => {
    const card = JSON.stringify(settingsCard('Ops', { categories: [], digest: false }, undefined, true));
    assert.match(
      card,
      /Only the team's owners \(or members of the group your administrator chose\) can save changes\./,
    );
    const none = JSON.stringify(settingsCard('Ops', { categories: [], digest: false }, undefined, false));
    assert.doesNotMatch(none, GROUP_WORDS);
  });
});
