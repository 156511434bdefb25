// The periodic pass stops when its row is lost or the instance shuts down, "when the store is about
// to close": a sweep under way "stops before its next delete", and one cut short by the stop is no
// failure, whatever the closing store made it throw (notifications/periodicJob.ts, README
// "Retention"). The pass's first part, ending the remembered commands whose sign-in ran out
// (state/signInExpiry.ts), went on reading the due index, bucket after bucket, and moving its cursor
// after the stop, into a store being closed, and logged what that store then threw as a failure.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PendingCommand } from '../../src/bot/commandTurns';
import { sweepWithExpiredSignIns } from '../../src/bot/signInAbandoned';
import type { GovernanceService } from '../../src/domain/governance';
import { Records, StateUnavailableError } from '../../src/state/port';
import { PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';
import { recordingLogger } from '../fixtures/recordingLogger';

const ALICE = 'aaaaaaaa-1111-4111-8111-111111111111';
const MINUTE = 60_000;

describe('the end of expired sign-ins once the periodic pass is stopped', () => {
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signin-stop-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads and writes nothing more of the due index after the stop', async () => {
    let t = Date.UTC(2026, 0, 5, 10, 2);
    const stop = new AbortController();
    let armed = false;
    const after: string[] = [];
    // The store as the pass sees it: the stop comes with the first bucket read (shutdown begins).
    const records: Records = {
      get: async (key) => {
        if (stop.signal.aborted) after.push(`get ${key}`);
        if (armed && key.startsWith('signin-due:')) stop.abort();
        return state.records.get(key);
      },
      create: (key, value, expiry) => {
        if (stop.signal.aborted) after.push(`create ${key}`);
        return state.records.create(key, value, expiry);
      },
      replace: (key, value, version, expiry) => {
        if (stop.signal.aborted) after.push(`replace ${key}`);
        return state.records.replace(key, value, version, expiry);
      },
      put: (key, value, expiry) => state.records.put(key, value, expiry),
      delete: (key, version) => state.records.delete(key, version),
    };
    const pending = new PendingSignIns<{ n: number }>(records, { now: () => t });
    await pending.add('s-1', ALICE, { n: 1 });
    // Two hours later: many buckets are over (a pass after the instances were down a while).
    t += 120 * MINUTE;
    armed = true;
    await pending.endExpired(() => undefined, stop.signal);
    assert.deepEqual(after, [], 'nothing read or written after the stop');
  });

  it('logs no failure for what a store closing under the stop threw', async () => {
    const { logger, events } = recordingLogger();
    const stop = new AbortController();
    const closing = {
      endExpired: async () => {
        stop.abort();
        throw new StateUnavailableError('the state store is closed');
      },
    } satisfies Pick<PendingSignIns<PendingCommand>, 'endExpired'>;
    const governance = { recordRefusal: () => undefined } as unknown as Pick<GovernanceService, 'recordRefusal'>;
    await sweepWithExpiredSignIns(closing, governance, async () => 0, logger)(stop.signal);
    assert.ok(!events().includes('signin.expiry.failed'), 'a stop is no failure');
  });
});
