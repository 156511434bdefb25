// A forget of a team's channels keeps an entry whose capture stamped it again since the forget read
// it, and checks whether that entry's reference is there, to take off again an entry that names no
// reference (src/state/teamChannels.ts, unlist). Each check reads the reference; the check of the
// last round named no entry the forget could take off after it (no round follows), so it read
// every re-stamped entry's reference for nothing.

import { strict as assert } from 'node:assert';
import { Records } from '../../src/state/port';
import { channelKey, teamKey } from '../../src/state/referenceShape';
import { readTeamList, stampChannel, unlist } from '../../src/state/teamChannels';
import { referencesOnSqlite } from '../fixtures/referencesOnSqlite';

const TEAM = '19:team';
const CH_A = '19:a@thread.tacv2';

describe("a team list's forget that meets a capture stamping again at every round", () => {
  const world = referencesOnSqlite('govbot-team-recheck-');

  it('reads the entry’s reference only in rounds that another round follows', async () => {
    const records = world.state.records;
    await stampChannel(records, TEAM, CH_A);
    const index = await readTeamList(records, TEAM);
    let referenceReads = 0;
    let listReads = 0;
    // Before each round's write of the list, a capture elsewhere stamps the entry again; its
    // reference is never there (its write did not land), so each round goes on to the next.
    const racing: Records = {
      get: async (k) => {
        if (k === teamKey(TEAM)) {
          listReads++;
          await stampChannel(records, TEAM, CH_A);
        }
        if (k === channelKey(CH_A)) referenceReads++;
        return records.get(k);
      },
      create: (k, v, o) => records.create(k, v, o),
      replace: (k, v, ver, o) => records.replace(k, v, ver, o),
      put: (k, v, o) => records.put(k, v, o),
      delete: (k, v) => records.delete(k, v),
    };
    await unlist(racing, index);
    assert.equal(listReads, 4, 'the first round and three rechecks');
    assert.equal(referenceReads, 3, 'no reference read after the last round');
    const kept = await records.get<{ channels: string[] }>(teamKey(TEAM));
    assert.deepEqual(kept?.value.channels, [CH_A], 'stamped again at every round, the entry stays');
  });
});
