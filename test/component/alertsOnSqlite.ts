// Channel alerts on one shared SQLite file, as several bot instances would run them, on a clock the
// test moves: a fresh directory per test (the mocha hooks are registered here), instances each with
// their own connection, and the posts a default connector double recorded.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger } from '../../src/log';
import { Alerts, AlertsSetupOptions, createAlerts } from '../../src/notifications/alertsSetup';
import { SendCard } from '../../src/notifications/delivery';
import { CardBindings } from '../../src/state/cardBindings';
import { Records } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';

export interface AlertsInstance {
  readonly state: SqliteState;
  readonly alerts: Alerts;
}

export interface AlertsInstanceOptions {
  /** Default: records the conversation id in `posted` and answers `a<n>`. */
  readonly send?: SendCard;
  readonly maxAttempts?: number;
  /** Default: 1 s after every failed attempt. */
  readonly backoffMs?: number;
  readonly bindingsOf?: (state: SqliteState) => CardBindings;
  /** Wraps the records the alerts see (the bindings keep the plain ones). */
  readonly wrapRecords?: (records: Records) => Records;
  /** This instance runs the periodic job (reminders, digest, healing) from the outbox's row. */
  readonly periodic?: PeriodicInstanceOptions;
}

export interface PeriodicInstanceOptions {
  /** What each pass sweeps after the alerts: `'state'` the instance's own file (its sweepExpired,
   * told the pass's stop, as the app does), or a stand-in. Default: no sweep. */
  readonly sweep?: 'state' | ((stop?: AbortSignal) => Promise<number>);
  /** How the renewals of the row's lease are timed (createAlerts' renewEvery). */
  readonly renewEvery?: AlertsSetupOptions['renewEvery'];
}

/** createAlerts' options of the periodic job, for an instance on `state`. */
function periodicOptions(state: SqliteState, p: PeriodicInstanceOptions | undefined): Partial<AlertsSetupOptions> {
  if (!p) return {};
  const sweep = p.sweep === 'state' ? (stop?: AbortSignal) => state.sweepExpired(undefined, stop) : p.sweep;
  return {
    periodic: true,
    ...(sweep ? { sweepExpired: sweep } : {}),
    ...(p.renewEvery ? { renewEvery: p.renewEvery } : {}),
  };
}

export interface AlertsOnSqlite {
  /** Epoch ms every instance reads; tests move it on. */
  clock: number;
  readonly posted: string[];
  instance(name: string, options?: AlertsInstanceOptions): AlertsInstance;
}

export function alertsOnSqlite(dirPrefix: string): AlertsOnSqlite {
  let dir = '';
  const states: SqliteState[] = [];
  const world: AlertsOnSqlite = {
    clock: 0,
    posted: [],
    instance(name, o = {}) {
      const state = new SqliteState(path.join(dir, 'state.db'), { now: () => world.clock });
      states.push(state);
      const alerts = createAlerts({
        state: o.wrapRecords ? { records: o.wrapRecords(state.records), outbox: state.outbox } : state,
        bindings: o.bindingsOf ? o.bindingsOf(state) : new CardBindings(state.records),
        send:
          o.send ??
          (async (reference) => {
            world.posted.push(reference.conversation?.id ?? '');
            return `a${world.posted.length}`;
          }),
        logger: createLogger({ level: 'silent' }),
        owner: name,
        tenantId: 'tenant-1',
        servedTenant: null,
        now: () => world.clock,
        marginMs: 0,
        backoffMs: () => o.backoffMs ?? 1_000,
        ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}),
        ...periodicOptions(state, o.periodic),
      });
      return { state, alerts };
    },
  };
  beforeEach(() => {
    world.clock = 1_700_000_000_000;
    world.posted.length = 0;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix));
  });
  afterEach(async () => {
    for (const s of states.splice(0)) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return world;
}
