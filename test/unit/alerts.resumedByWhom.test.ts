// A person's settings change resumes a suspended channel; a change with no person's id keeps the
// suspension (subscriptionChanges.ts). The write tells the two apart by whether the id is there at
// all, so the "resumed" it reports, and the line it logs, must tell them apart the same way: an
// empty id left the channel suspended while the change said it resumed.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changeSubscriptions } from '../../src/alerts/subscriptionChanges';
import { channelKey } from '../../src/alerts/subscriptionRecords';
import type { ChannelRecord } from '../../src/alerts/subscriptionRecords';
import { SqliteState } from '../../src/state/sqlite';

const ref = { teamId: '19:team@thread.tacv2', channelId: '19:ops@thread.tacv2' };

describe('alerts: whether a settings change resumed a suspended channel', () => {
  let dir: string;
  let state: SqliteState;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resumed-'));
    state = new SqliteState(path.join(dir, 'state.db'));
    const suspended: ChannelRecord = {
      ...ref,
      categories: ['roleRequests'],
      digest: false,
      suspended: { status: 403, reason: 'Teams refused', since: 1 },
      updatedAt: 1,
    };
    await state.records.put(channelKey(ref.channelId), suspended, 'none');
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const change = async (userId: string | null) => {
    const lines: unknown[] = [];
    const deps = { records: state.records, now: () => 2, onSuspension: (l: unknown) => lines.push(l) };
    const done = await changeSubscriptions(deps, ref, { accessPackageRequests: true }, { userId, correlationId: 'c' });
    const stored = (await state.records.get<ChannelRecord>(channelKey(ref.channelId)))?.value;
    return { done, lines, stored };
  };

  it('a person’s change resumes it, and says so', async () => {
    const { done, lines, stored } = await change('00000000-0000-0000-0000-0000000000aa');
    assert.equal(stored?.suspended, undefined);
    assert.equal(done.resumed, true);
    assert.equal(lines.length, 1);
  });

  for (const userId of [null, '']) {
    it(`a change with no person’s id (${JSON.stringify(userId)}) keeps it suspended, and says nothing of a resume`, async () => {
      const { done, lines, stored } = await change(userId);
      assert.ok(stored?.suspended, 'still suspended');
      assert.equal(done.resumed, false);
      assert.deepEqual(lines, []);
    });
  }
});
