// Which bot processes are alive (src/state/instances.ts): a heartbeat in the shared store, and for
// a process in this very pid namespace, the OS's word on its pid.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Instances } from '../../src/state/instances';
import { Records } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';

describe('instance liveness', () => {
  let dir: string;
  let state: SqliteState;
  let records: Records;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-instances-'));
    state = new SqliteState(path.join(dir, 'state.db'));
    records = state.records;
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A process in a container on the VM `vm-1`, whose OS (seen from the process asking) runs none
   * of the pids it is asked about. */
  const inContainer = (pidNamespace: string | null, pid: number) => ({
    host: 'vm-1',
    pid,
    pidNamespace,
    processAlive: () => false,
  });

  it('a live instance in another container with the same host name is alive (containers on host networking)', async () => {
    // Two containers on one VM with --network host: same os.hostname(), separate pid namespaces.
    const a = new Instances(records, inContainer('boot-1/pid:[1001]', 1));
    const b = new Instances(records, inContainer('boot-1/pid:[1002]', 1));
    const c = new Instances(records, inContainer('boot-1/pid:[1002]', 987_654));
    await b.beat();
    await c.beat();
    assert.deepEqual(
      [await a.liveness(b.bootId), await a.liveness(c.bootId)],
      ['alive', 'alive'],
      'both heartbeats are fresh',
    );
  });

  it('a process of this pid namespace whose pid is gone is dead at once, its heartbeat still fresh', async () => {
    // The OS runs our own pid 10 (this very process), not 11.
    const here = new Instances(records, { ...inContainer('boot-1/pid:[1001]', 10), processAlive: (pid) => pid === 10 });
    const crashed = new Instances(records, inContainer('boot-1/pid:[1001]', 11));
    const restarted = new Instances(records, inContainer('boot-1/pid:[1001]', 10));
    await crashed.beat();
    await restarted.beat();
    assert.equal(await here.liveness(crashed.bootId), 'gone');
    assert.equal(await here.liveness(restarted.bootId), 'gone', 'our own pid under another boot id: a restart');
  });

  it('when either side cannot tell its pid namespace, a fresh heartbeat means alive', async () => {
    const known = new Instances(records, inContainer('boot-1/pid:[1001]', 10));
    const unknown = new Instances(records, inContainer(null, 11));
    await known.beat();
    await unknown.beat();
    assert.equal(await known.liveness(unknown.bootId), 'alive');
    assert.equal(await unknown.liveness(known.bootId), 'alive');
  });

  // Gone, or alive but unable to write its heartbeat: its claims renewed lately still hold
  // (src/domain/claimHolders.ts).
  it('an instance without a heartbeat is silent', async () => {
    const here = new Instances(records, inContainer('boot-1/pid:[1001]', 10));
    const gone = new Instances(records, inContainer('boot-1/pid:[1002]', 10));
    await gone.beat();
    await gone.stop();
    assert.equal(await here.liveness(gone.bootId), 'silent');
  });
});
