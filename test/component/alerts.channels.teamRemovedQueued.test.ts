// Alerts queued for a team's channels when the bot is removed from the team (Teams' "bot removed"
// event forgets the team and every channel of it, README "Channel alerts") are not posted: each is
// dead-lettered saying the bot no longer knows the channel. What the worker must not do then is
// look each of those channels up in every other team the bot is in: that lookup reads the channel
// list of each known team from Teams (up to 500), one channel enumeration each, and Teams counts
// channel enumerations against the same rate limits as the sends ("All requests are subject to the
// same rate limiting policy, including sending messages, channel enumerations, and roster
// fetches": https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit).
// A channel an alert subscription names was recorded with its team when it subscribed, and is
// forgotten only with its team or when Teams deleted it, so no other team's list can name it.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger } from '../../src/log';
import { Alerts, createAlerts } from '../../src/notifications/alertsSetup';
import { parseEvent } from '../../src/notifications/events';
import { CardBindings } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';

const TENANT = '5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70';
const GONE = '19:team-gone@thread.tacv2';
const STAYS = '19:team-stays@thread.tacv2';
const GONE_CHANNELS = [
  { id: '19:gone-a@thread.tacv2', name: 'A' },
  { id: '19:gone-b@thread.tacv2', name: 'B' },
];
const STAYS_CHANNEL = { id: '19:stays@thread.tacv2', name: 'Stays' };
const owner = { userId: 'aad-owner', correlationId: 'corr-1' };
const card = { attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: {} }, summary: 's' };

describe('channel alerts: alerts queued for a team the bot was removed from', () => {
  let dir = '';
  let state: SqliteState;
  let alerts: Alerts;
  const listed: string[] = [];
  const posted: string[] = [];
  const stop = new AbortController();

  beforeEach(async () => {
    listed.length = 0;
    posted.length = 0;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-team-removed-'));
    state = new SqliteState(path.join(dir, 'state.db'));
    alerts = createAlerts({
      state,
      bindings: new CardBindings(state.records),
      send: async (reference) => {
        posted.push(reference.conversation?.id ?? '');
        return `a${posted.length}`;
      },
      logger: createLogger({ level: 'silent' }),
      owner: 'instance-1',
      tenantId: TENANT,
      servedTenant: TENANT,
      marginMs: 0,
      listTeamChannels: async (teamId) => {
        listed.push(teamId);
        return teamId === STAYS ? [STAYS_CHANNEL] : [...GONE_CHANNELS];
      },
    });
    for (const [teamId, channels] of [
      [GONE, GONE_CHANNELS],
      [STAYS, [STAYS_CHANNEL]],
    ] as const) {
      await alerts.reach.rememberTeam(teamId, {
        serviceUrl: 'https://smba.test/',
        channelId: 'msteams',
        bot: { id: '28:bot' },
        conversation: { id: teamId, tenantId: TENANT },
      });
      await alerts.subscriptions.setTeamChannels(teamId, channels);
      for (const c of channels)
        await alerts.subscriptions.setCategory({ teamId, channelId: c.id }, 'roleRequests', true, owner);
    }
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Works every due alert row, as the delivery worker does. */
  async function drain(): Promise<void> {
    for (let row = await state.outbox.lease(30_000); row; row = await state.outbox.lease(30_000)) {
      if (alerts.worker.owns(row)) await alerts.worker.handle(row, stop.signal);
      else await state.outbox.complete(row);
    }
  }

  it('are dead-lettered without reading any team channel list from Teams', async () => {
    const parsed = parseEvent({
      eventId: 'ev-1',
      kind: 'roleRequest',
      target: { category: 'roleRequests' },
      requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
    });
    assert.ok(parsed.ok);
    await alerts.categoryEvents.publish(parsed.event, card);
    // The fan-out row only: one delivery row per channel is queued, none sent yet.
    const fanoutRow = await state.outbox.lease(30_000);
    assert.ok(fanoutRow && alerts.worker.owns(fanoutRow));
    await alerts.worker.handle(fanoutRow, stop.signal);

    // The bot is removed from GONE (as AlertTurns.teamGone does it).
    await alerts.subscriptions.forgetTeam(GONE, { userId: null, correlationId: 'corr-2' });
    await alerts.reach.forgetTeam(GONE);
    await drain();

    assert.deepEqual(posted, [STAYS_CHANNEL.id]);
    assert.deepEqual(listed, [], 'no team channel list read');
    const states = Object.fromEntries(((await alerts.channels('ev-1')) ?? []).map((c) => [c.channelId, c]));
    for (const c of GONE_CHANNELS) {
      assert.equal(states[c.id]?.state, 'deadLetter', c.id);
      assert.match(String(states[c.id]?.reason), /does not know this channel any more/, c.id);
    }
  });
});
