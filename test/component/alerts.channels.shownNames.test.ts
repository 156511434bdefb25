// The team's and the channel's names on the alert cards a channel reads (the welcome, the settings
// card and the summaries beside them) are the names Teams gives in channelData (TeamInfo.name,
// ChannelInfo.name: https://learn.microsoft.com/en-us/javascript/api/botbuilder/teamsinfo,
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events),
// which a team's owners type. A bidirectional embedding, override or isolate there would make the
// card read otherwise than it is ("Trojan Source", CVE-2021-42574) and a control character shows
// as a box: they are shown as the other names from the directory are (domain/shownNames.ts),
// without them.

import { strict as assert } from 'node:assert';
import { CH_A, GENERAL, TEAM } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';
import { teamsEvent } from '../fixtures/teamsEvents';

/** A character a card may not show (unshowable in domain/shownNames.ts), raw or as JSON escapes it. */
const UNSHOWN = /[\u202a-\u202e\u2066-\u2069\u0080-\u009f]|\\u00[01][0-8bcef]/;

describe('channel alerts: team and channel names as Teams gives them', () => {
  const session = channelAlertsSession();
  const { owner } = session;

  it("leaves bidirectional controls and control characters out of the team's name on the welcome", async () => {
    const { a } = session;
    a.roles.set(owner().id, 'owner');
    a.groupOwners.add(owner().aadObjectId);
    const bot = { id: '28:bot', name: 'Governance Bot' };
    const team = { id: TEAM, name: 'Identity\u202E Operations\u0007' };
    const added = await a.rig.turn(
      a.inChannel(owner(), GENERAL, teamsEvent('teamMemberAdded', { ...a.place(), team }, { membersAdded: [bot] })),
    );
    const shown = cardsOf(added.sent);
    assert.match(shown, /Governance Bot is in the team Identity Operations"/);
    assert.doesNotMatch(shown, UNSHOWN);
  });

  it("leaves them out of the channel's name on its settings card and its summary", async () => {
    const { a } = session;
    await session.install();
    const channelData = {
      tenant: { id: a.rig.seed.tenantId },
      team: { id: TEAM, name: 'Identity Operations' },
      channel: { id: CH_A, name: 'Ops\u2066 A\u0085\u202D' },
    };
    const { sent } = await a.rig.turn(
      a.inChannel(owner(), CH_A, { type: 'message', text: '<at>Governance Bot</at> alerts', channelData }),
    );
    const shown = cardsOf(sent);
    assert.match(shown, /Choose what Governance Bot announces in #Ops A\./);
    assert.doesNotMatch(shown, UNSHOWN);
    const summaries = sent.map((s) => s.summary ?? '').join('\n');
    assert.match(summaries, /Alert settings for #Ops A$/m);
    assert.doesNotMatch(summaries, UNSHOWN);
  });
});
