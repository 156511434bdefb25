// Channel alerts to a team whose stored reference names another organization's tenant. The bot
// serves one tenant and now refuses activities from others at its inbound edge (src/bot/adapter.ts),
// but a team reference and subscriptions stored before that check would still have this
// organization's governance alerts posted into the other organization's channels, and that
// tenant's "bot removed" and "channel deleted" events are refused now, so nothing would clean them
// up. So the channel is never posted in (no connector call) and its subscription is suspended, as
// for a channel Teams refused. Any tenant can install a multi-tenant bot:
// https://learn.microsoft.com/en-us/microsoftteams/platform/agents-in-teams/agent-tenancy
// Through the real handler (TestAdapter, simulated tenant, SQLite).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger } from '../../src/log';
import { createAlerts } from '../../src/notifications/alertsSetup';
import { CardBindings } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';
import { CH_A, CH_B, TEAM } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';

const FOREIGN = 'f00dfeed-0000-4000-8000-00000000beef';

describe('channel alerts: a team stored for another tenant', () => {
  const session = channelAlertsSession();
  const { owner, auditLines, install } = session;

  /** The team's reference as stored before the inbound edge refused other tenants, naming `tenantId`
   * (none: no tenant); every post attempt is counted. */
  async function teamStoredAs(tenantId: string | undefined): Promise<string[]> {
    const { a } = session;
    await a.alerts.reach.rememberTeam(TEAM, {
      serviceUrl: 'https://smba.foreign.test/',
      channelId: 'msteams',
      bot: { id: '28:bot', name: 'Governance Bot' },
      conversation: { id: TEAM, ...(tenantId ? { tenantId } : {}) },
    });
    const tried: string[] = [];
    a.sendImpl = async (reference, card) => {
      tried.push(reference.conversation?.id ?? '');
      return a.record(reference, card);
    };
    return tried;
  }

  async function subscribed(): Promise<void> {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await a.say(owner(), CH_B, 'alerts on role-requests');
  }

  const statesOf = async (eventId: string) =>
    Object.fromEntries(((await session.a.alerts.channels(eventId)) ?? []).map((c) => [c.channelId, c.state]));

  it('is never posted in: no connector call, the subscriptions suspended, logged once per channel', async () => {
    const { a } = session;
    await subscribed();
    const tried = await teamStoredAs(FOREIGN);

    await a.announceRoleRequest('ev-1');
    assert.deepEqual(tried, [], 'no call to the connector');
    assert.deepEqual(await statesOf('ev-1'), { [CH_A]: 'deadLetter', [CH_B]: 'deadLetter' });
    const channels = (await a.alerts.channels('ev-1')) ?? [];
    for (const c of channels) assert.match(String(c.reason), /another organization/, c.channelId);
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('roleRequests'), [], 'both suspended');

    const refused = auditLines('alerts.channel.foreignTenant');
    assert.deepEqual(refused.map((l) => [l.channelId, l.foreignTenant]).sort(), [
      [CH_A, FOREIGN],
      [CH_B, FOREIGN],
    ]);
    assert.doesNotMatch(JSON.stringify(refused), /smba\.foreign\.test/, 'never the reference body');

    // The next alert plans nothing there and logs nothing more.
    await a.announceRoleRequest('ev-2');
    assert.deepEqual(tried, []);
    assert.equal(auditLines('alerts.channel.foreignTenant').length, 2);
  });

  it("the served tenant's team (its GUID in another case) is posted in", async () => {
    const { a } = session;
    await subscribed();
    const tried = await teamStoredAs(a.rig.seed.tenantId.toUpperCase());
    await a.announceRoleRequest('ev-1');
    assert.deepEqual(tried.sort(), [CH_A, CH_B].sort());
    assert.deepEqual(await statesOf('ev-1'), { [CH_A]: 'delivered', [CH_B]: 'delivered' });
    assert.doesNotMatch(cardsOf((await a.say(owner(), CH_A, 'alerts')).sent), /suspended/i);
  });

  it('a team reference naming no tenant is posted in (the default tenant)', async () => {
    const { a } = session;
    await subscribed();
    const tried = await teamStoredAs(undefined);
    await a.announceRoleRequest('ev-1');
    assert.deepEqual(tried.sort(), [CH_A, CH_B].sort());
    assert.deepEqual(await statesOf('ev-1'), { [CH_A]: 'delivered', [CH_B]: 'delivered' });
  });
});

describe('channel alerts: looking an unseen channel up in the known teams', () => {
  const SERVED = '5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70';
  let dir = '';
  let state: SqliteState;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-foreign-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("never asks Teams for another tenant's team channels (which would also resume its suspended channels)", async () => {
    const asked: string[] = [];
    const alerts = createAlerts({
      state,
      bindings: new CardBindings(state.records),
      send: async () => 'a1',
      logger: createLogger({ level: 'silent' }),
      owner: 'instance-1',
      tenantId: SERVED,
      servedTenant: SERVED,
      listTeamChannels: async (teamId) => {
        asked.push(teamId);
        return teamId === '19:ours@thread.tacv2' ? [{ id: '19:new@thread.tacv2', name: 'New' }] : [];
      },
    });
    const team = (id: string, tenantId: string) =>
      alerts.reach.rememberTeam(id, {
        serviceUrl: 'https://smba.test/',
        channelId: 'msteams',
        conversation: { id, tenantId },
      });
    await team('19:theirs@thread.tacv2', FOREIGN);
    await team('19:ours@thread.tacv2', SERVED);
    const found = await alerts.channelReference('19:new@thread.tacv2');
    assert.equal(found?.conversation?.id, '19:new@thread.tacv2');
    assert.deepEqual(asked, ['19:ours@thread.tacv2'], "only the served tenant's team is asked");
  });
});
