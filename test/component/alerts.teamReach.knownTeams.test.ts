// A team the bot is in is on the list of known teams (TeamReach.knownTeams) once its reference is
// stored, even when the store failed the list's write the first time: the periodic pass heals the
// subscriptions of the known teams only (README "Fan-out"), and a channel created since the last
// listing is looked up in them. The reference used to be written first and the list second, and a
// turn whose reference had not changed wrote nothing: a failure of the list's write (the store
// down for a moment, the process dying between the two writes) left the team off the list for
// good, however many turns came after.

import { strict as assert } from 'node:assert';
import { TeamReach } from '../../src/alerts/teamReach';
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
