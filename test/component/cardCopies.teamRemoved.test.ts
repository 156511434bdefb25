// A card's copy posted in a channel of a team the bot was since removed from (Teams' "bot removed"
// event forgets the team and its channels, README "Channel alerts") cannot be edited when a click
// elsewhere decides its item: the bot no longer knows the channel. What the app must not do then is
// look that channel up in every other team the bot is in: the lookup reads the channel list of each
// known team from Teams, and Teams counts channel enumerations against the same rate limits as the
// sends ("All requests are subject to the same rate limiting policy, including sending messages,
// channel enumerations, and roster fetches":
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit). A channel a
// copy was posted in was known when it was posted, and is forgotten only with its team or when
// Teams deleted it, so no other team's list can name it. The copy updates are built as the app
// builds them (appOutbound.ts), over an adapter that records every conversation it is asked into.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { createOutbound } from '../../src/appOutbound';
import type { GovernanceAdapter } from '../../src/bot/adapter';
import { itemCard } from '../../src/bot/replyCards';
import { Target } from '../../src/domain/operations';
import { createLogger } from '../../src/log';
import { SqliteState } from '../../src/state/sqlite';
import { botSettings } from '../fixtures/inboundAuth';

const TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const GONE = '19:team-gone@thread.tacv2';
const GONE_CHANNEL = { id: '19:gone-ops@thread.tacv2', name: 'Ops' };
const STAYS = '19:team-stays@thread.tacv2';
const STAYS_CHANNEL = { id: '19:stays-ops@thread.tacv2', name: 'Ops' };
const TARGET: Target = {
  operation: 'cancelRoleRequest',
  ids: { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e' },
};

describe('copies of a card in the channels of a team the bot was removed from', () => {
  let dir = '';
  let state: SqliteState;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-copies-team-gone-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('are not edited, and no team channel list is read from Teams for them', async () => {
    const asked: string[] = [];
    const adapter = {
      use: () => adapter,
      continueConversationAsync: async (_app: string, reference: { conversation?: { id?: string } }) => {
        asked.push(reference.conversation?.id ?? '');
      },
    } as unknown as GovernanceAdapter;
    const logs: Array<Record<string, unknown>> = [];
    const logger = createLogger({
      level: 'warn',
      destination: new Writable({
        write: (chunk: Buffer, _e, cb) => {
          logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
          cb();
        },
      }),
    });
    const outbound = createOutbound({
      config: botSettings('6a0b5c3e-1f2d-4e7a-9b8c-0d1e2f3a4b5c'),
      logger,
      adapter,
      state,
      now: Date.now,
      owner: 'instance-1',
      ssoTenant: TENANT,
      sweepExpired: async () => 0,
    });
    const { alerts } = outbound;
    for (const [teamId, channel] of [
      [GONE, GONE_CHANNEL],
      [STAYS, STAYS_CHANNEL],
    ] as const) {
      await alerts.reach.rememberTeam(teamId, {
        serviceUrl: 'https://smba.test/',
        channelId: 'msteams',
        bot: { id: '28:bot' },
        conversation: { id: teamId, tenantId: TENANT },
      });
      await alerts.subscriptions.setTeamChannels(teamId, [channel]);
    }
    const item = { operation: TARGET.operation, ids: TARGET.ids };
    await alerts.copies.add(item, {
      conversationId: `${GONE_CHANNEL.id};messageid=1001`,
      activityId: '1001',
      channelId: GONE_CHANNEL.id,
    });
    // The bot is removed from GONE (as AlertTurns.teamGone does it).
    await alerts.subscriptions.forgetTeam(GONE, { userId: null, correlationId: 'corr-1' });
    await alerts.reach.forgetTeam(GONE);

    // A click on the item's card in a personal chat settles it.
    const reply = itemCard(item, { text: 'Cancelled.', settled: true });
    outbound.copies.changed(TARGET, reply, true, { conversationId: 'a:personal-1', activityId: 'clicked-1' });
    await outbound.copies.idle();

    assert.deepEqual(asked, [], 'no conversation was continued: no team channel list read, no copy edited');
    assert.ok(
      logs.some((l) => l.event === 'alerts.copies.failed' && l.activityId === '1001'),
      `the copy that could not be reached is logged: ${JSON.stringify(logs)}`,
    );
  });
});
