// A team archived (its channels read-only) or deleted (restorable) keeps its channels' alerts
// suspended until Teams says it is back (teamUnarchived, teamRestored) or someone saves a channel's
// settings (README "Channel alerts"). Its channel list may still be read meanwhile: a notification
// event naming a channel the bot has not seen has every known team's list read from Teams
// (unseenChannels.ts). That listing is no news of the team's return, so it resumes nothing there:
// the next alert would be posted into a read-only channel, refused, and the channel suspended again
// with a reason that blames the bot's removal. Events:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger } from '../../src/log';
import { Alerts, createAlerts } from '../../src/notifications/alertsSetup';
import { CardBindings } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';
import { suspensionOf } from '../../src/alerts/channelSuspension';

const TENANT = '5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70';
const TEAM = '19:team-archived@thread.tacv2';
const CHANNELS = [
  { id: TEAM, name: 'General' },
  { id: '19:ops@thread.tacv2', name: 'Ops' },
];
const owner = { userId: 'aad-owner', correlationId: 'corr-1' };

describe('channel alerts: a team archived or deleted, its channel list read meanwhile', () => {
  let dir = '';
  let state: SqliteState;
  let alerts: Alerts;
  let clock = Date.UTC(2026, 5, 1, 9, 0, 0);

  beforeEach(async () => {
    clock = Date.UTC(2026, 5, 1, 9, 0, 0);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-archived-listing-'));
    state = new SqliteState(path.join(dir, 'state.db'));
    alerts = createAlerts({
      state,
      bindings: new CardBindings(state.records),
      send: async () => 'a1',
      logger: createLogger({ level: 'silent' }),
      owner: 'instance-1',
      tenantId: TENANT,
      servedTenant: TENANT,
      now: () => clock,
      // Teams still lists an archived team's channels.
      listTeamChannels: async () => CHANNELS.map((c) => ({ ...c })),
    });
    await alerts.reach.rememberTeam(TEAM, {
      serviceUrl: 'https://smba.test/',
      channelId: 'msteams',
      bot: { id: '28:bot' },
      conversation: { id: TEAM, tenantId: TENANT },
    });
    await alerts.subscriptions.setTeamChannels(TEAM, CHANNELS);
    await alerts.subscriptions.setCategory({ teamId: TEAM, channelId: CHANNELS[1]!.id }, 'roleRequests', true, owner);
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const event of ['archived', 'deleted'] as const) {
    it(`${event}: the listing resumes nothing; the team's return does`, async () => {
      clock += 60_000;
      await alerts.subscriptions.suspendTeam(TEAM, event, clock - 1_000);
      assert.deepEqual(await alerts.subscriptions.channelsFor('roleRequests'), []);

      clock += 60_000;
      // An event names a channel no known team had when last listed: every known team is listed.
      assert.equal(await alerts.channelReference('19:unseen@thread.tacv2'), null);
      assert.deepEqual(await alerts.subscriptions.channelsFor('roleRequests'), [], 'still suspended');
      assert.match(
        (await alerts.subscriptions.get(CHANNELS[1]!.id))?.suspended?.reason ?? '',
        event === 'archived' ? /archived/ : /deleted/,
      );

      clock += 60_000;
      await alerts.subscriptions.resumeTeam(TEAM, clock - 1_000);
      assert.deepEqual(
        (await alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
        [CHANNELS[1]!.id],
      );
    });

    // A channel Teams refused (403) before the team was archived or deleted: the team's event takes
    // the refusal's place, so the channel waits for the team's return like the others; kept as the
    // refusal, a listing (no news of the team) would resume it while the team is still out of use.
    it(`${event} after a refusal: the listing resumes nothing; the team's return does`, async () => {
      const channel = CHANNELS[1]!.id;
      clock += 60_000;
      const seen = (await alerts.subscriptions.standing(channel)).confirmations;
      await alerts.subscriptions.suspend(
        channel,
        suspensionOf({ status: 403, code: 'BotNotInConversationRoster' }, clock),
        seen,
      );
      clock += 60_000;
      await alerts.subscriptions.suspendTeam(TEAM, event, clock - 1_000);

      clock += 60_000;
      assert.equal(await alerts.channelReference('19:unseen@thread.tacv2'), null);
      assert.deepEqual(await alerts.subscriptions.channelsFor('roleRequests'), [], 'still suspended');
      assert.match(
        (await alerts.subscriptions.get(channel))?.suspended?.reason ?? '',
        event === 'archived' ? /archived/ : /deleted/,
        "the team's event is the reason now",
      );

      clock += 60_000;
      await alerts.subscriptions.resumeTeam(TEAM, clock - 1_000);
      assert.deepEqual(
        (await alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
        [channel],
      );
    });
  }
});
