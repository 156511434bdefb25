// A team the bot is in is on the list of known teams (TeamReach.knownTeams) once its reference is
// stored, even when the store failed the list's write the first time: the periodic pass heals the
// subscriptions of the known teams only (README "Fan-out"), and a channel created since the last
// listing is looked up in them. The reference used to be written first and the list second, and a
// turn whose reference had not changed wrote nothing: a failure of the list's write (the store
// down for a moment, the process dying between the two writes) left the team off the list for
// good, however many turns came after.

import { strict as assert } from 'node:assert';
import { KNOWN_TEAM_RECHECK_MS, MAX_TEAMS, TeamReach } from '../../src/alerts/teamReach';
import { AlertSubscriptions } from '../../src/alerts/subscriptions';
import { Records, StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const TEAM = '19:team-known@thread.tacv2';
const REFERENCE = {
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  channelId: 'msteams',
  bot: { id: '28:bot' },
  conversation: { id: TEAM, tenantId: 't' },
};

/** `records` whose writes of `key` fail while `failing.on` holds. */
function failingWrites(records: Records, key: string, failing: { on: boolean }): Records {
  const write = <T>(k: string, op: () => Promise<T>): Promise<T> =>
    failing.on && k === key ? Promise.reject(new StateUnavailableError('state store: the write failed')) : op();
  return {
    get: (k) => records.get(k),
    create: (k, v, e) => write(k, () => records.create(k, v, e)),
    replace: (k, v, ver, e) => write(k, () => records.replace(k, v, ver, e)),
    put: (k, v, e) => write(k, () => records.put(k, v, e)),
    delete: (k, ver) => write(k, () => records.delete(k, ver)),
  };
}

describe('alerts: a team whose reference is stored is a known team', () => {
  let dir: string;
  let state: SqliteState;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-team-reach-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const failed of ['alerts:teams', `alerts:teamRef:${TEAM}`]) {
    it(`after the store failed the write of ${failed.split(':')[1]}, the next team turn puts the team on the list`, async () => {
      const failing = { on: true };
      const records = failingWrites(state.records, failed, failing);
      const reach = new TeamReach(records, new AlertSubscriptions(records));
      await assert.rejects(reach.rememberTeam(TEAM, REFERENCE), StateUnavailableError);
      failing.on = false;
      // The next turn from the team, with the same reference.
      await reach.rememberTeam(TEAM, REFERENCE);
      assert.deepEqual(await reach.knownTeams(), [TEAM]);
      assert.equal((await reach.teamReference(TEAM))?.serviceUrl, REFERENCE.serviceUrl);
    });
  }
});

// The list holds the MAX_TEAMS teams the bot learnt of last: putting one more on it drops the
// oldest. That is said (one warning naming the team dropped), and a dropped team that speaks again
// (any turn from it) goes back on the list although its reference did not change; a turn from a team
// this instance has lately seen on the list reads and writes nothing.
describe('alerts: a team dropped from the full list of known teams', () => {
  let dir: string;
  let state: SqliteState;
  let clock: number;
  let warnings: Array<Record<string, unknown>>;
  const logger = { warn: (line: Record<string, unknown>) => void warnings.push(line) };
  const team = (i: number) => `19:team-${i}@thread.tacv2`;
  const referenceOf = (teamId: string) => ({ ...REFERENCE, conversation: { id: teamId, tenantId: 't' } });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-team-reach-full-'));
    state = new SqliteState(path.join(dir, 'state.db'));
    clock = Date.UTC(2026, 5, 1, 9, 0, 0);
    warnings = [];
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The list full: teams 0 to MAX_TEAMS - 1, team 0 the oldest. */
  async function full(reach: TeamReach): Promise<void> {
    await state.records.put('alerts:teams', { teams: Array.from({ length: MAX_TEAMS }, (_, i) => team(i)) }, 'none');
    for (const i of [0, 1])
      await state.records.put(`alerts:teamRef:${team(i)}`, { reference: referenceOf(team(i)) }, 'none');
    // This instance has seen team 0 on the list.
    await reach.rememberTeam(team(0), referenceOf(team(0)));
  }

  /** `records` counting its reads and writes of the list. */
  function counted(records: Records, seen: { reads: number; writes: number }): Records {
    const write = <T>(k: string, op: () => Promise<T>): Promise<T> => {
      if (k === 'alerts:teams') seen.writes++;
      return op();
    };
    return {
      get: (k) => {
        if (k === 'alerts:teams') seen.reads++;
        return records.get(k);
      },
      create: (k, v, e) => write(k, () => records.create(k, v, e)),
      replace: (k, v, ver, e) => write(k, () => records.replace(k, v, ver, e)),
      put: (k, v, e) => write(k, () => records.put(k, v, e)),
      delete: (k, ver) => write(k, () => records.delete(k, ver)),
    };
  }

  it('a team dropped is warned of once, and its next turn puts it back', async () => {
    const reach = new TeamReach(state.records, new AlertSubscriptions(state.records), { now: () => clock, logger });
    await full(reach);
    await reach.rememberTeam(team(MAX_TEAMS), referenceOf(team(MAX_TEAMS)));
    const known = await reach.knownTeams();
    assert.equal(known.length, MAX_TEAMS);
    assert.ok(!known.includes(team(0)), 'the oldest team was dropped');
    assert.deepEqual(
      warnings.map((w) => [w.event, w.teamId]),
      [['alerts.teams.dropped', team(0)]],
    );

    // A turn from the dropped team, its reference unchanged.
    await reach.rememberTeam(team(0), referenceOf(team(0)));
    assert.ok((await reach.knownTeams()).includes(team(0)), 'back on the list');
    assert.deepEqual(
      warnings.map((w) => w.teamId),
      [team(0), team(1)],
      'the next oldest made room, and that is said too',
    );
  });

  it('a team another instance dropped goes back on the list at a turn after a while', async () => {
    const seen = { reads: 0, writes: 0 };
    const reach = new TeamReach(counted(state.records, seen), new AlertSubscriptions(state.records), {
      now: () => clock,
      logger,
    });
    await full(reach);
    // A turn from a team this instance saw on the list: nothing read or written.
    seen.reads = seen.writes = 0;
    await reach.rememberTeam(team(0), referenceOf(team(0)));
    assert.deepEqual(seen, { reads: 0, writes: 0 });

    // Another instance learns of one more team: team 0 leaves the list.
    const other = new TeamReach(state.records, new AlertSubscriptions(state.records), { now: () => clock, logger });
    await other.rememberTeam(team(MAX_TEAMS), referenceOf(team(MAX_TEAMS)));
    assert.ok(!(await other.knownTeams()).includes(team(0)));

    clock += KNOWN_TEAM_RECHECK_MS + 1;
    await reach.rememberTeam(team(0), referenceOf(team(0)));
    assert.ok((await reach.knownTeams()).includes(team(0)), 'back on the list');
  });
});
