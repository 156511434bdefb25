// The alert rows of the outbox on a queue that keeps every copy of an id, as Azure Queue Storage
// does (it has no de-duplication: each Put Message adds a message,
// https://learn.microsoft.com/rest/api/storageservices/put-message), in memory with an injected
// clock; records on SQLite. Two copies of one channel delivery, even worked at once by two workers
// of one instance, post the card once; however many times instances start, one periodic row stays
// and the periodic pass runs once per period; a periodic row lost while every instance runs is
// queued again by their periodic checks.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoredAlert, TICK_ROW } from '../../src/alerts/alertStore';
import { PERIODIC_EVERY_MS } from '../../src/alerts/periodic';
import { createLogger } from '../../src/log';
import { Alerts, AlertsSetupOptions, createAlerts } from '../../src/notifications/alertsSetup';
import { SendCard } from '../../src/notifications/delivery';
import { CardBindings } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';
import { AzureLikeQueue } from '../fixtures/azureLikeQueue';

const TEAM = '19:team@thread.tacv2';
const CHANNEL = '19:ops@thread.tacv2';
const actor = { userId: 'owner', correlationId: 'c' };
const card = {
  attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [] } },
  summary: 's',
};

describe('alerts: rows on a queue that keeps duplicates (Azure Queue Storage)', () => {
  let dir: string;
  let state: SqliteState;
  let clock: number;
  let outbox: AzureLikeQueue<{ eventId: string }>;
  const stop = new AbortController().signal;

  beforeEach(() => {
    clock = 1_700_000_000_000;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-azq-'));
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
    outbox = new AzureLikeQueue<{ eventId: string }>(() => clock);
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** One instance (boot) over the shared queue and records. */
  function instance(
    owner: string,
    send: SendCard,
    extra: Pick<AlertsSetupOptions, 'sweepExpired' | 'periodicEvery'> = {},
  ): Alerts {
    return createAlerts({
      state: { records: state.records, outbox },
      bindings: new CardBindings(state.records),
      send,
      logger: createLogger({ level: 'silent' }),
      owner,
      tenantId: 'tenant-1',
      servedTenant: null,
      now: () => clock,
      marginMs: 0,
      periodic: true,
      ...extra,
    });
  }

  it('two copies of one channel delivery, worked at once by one instance, post the card once', async () => {
    const posted: string[] = [];
    // The first send waits until the other copy has been handled (or, wrongly, sent too).
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const alerts = instance('instance-1', async (reference) => {
      posted.push(reference.conversation?.id ?? '');
      if (posted.length === 2) open();
      await gate;
      return `a${posted.length}`;
    });
    await alerts.subscriptions.setTeamChannels(TEAM, [{ id: CHANNEL, name: 'Ops' }]);
    await alerts.reach.rememberTeam(TEAM, {
      serviceUrl: 'https://smba.test/',
      channelId: 'msteams',
      conversation: { id: TEAM, tenantId: 'tenant-1' },
    });
    await alerts.subscriptions.setCategory({ teamId: TEAM, channelId: CHANNEL }, 'roleRequests', true, actor);
    const alert: StoredAlert = { eventId: 'pim-1', category: 'roleRequests', card };
    await alerts.store.publish(alert);
    await alerts.store.publish(alert); // a duplicate POST or a re-run: a second fan-out row
    for (let i = 0; i < 2; i++) await alerts.worker.handle((await outbox.lease(60_000))!, stop);

    // Two send rows for the one delivery, taken by two of the instance's workers at once.
    const rows = [(await outbox.lease(60_000))!, (await outbox.lease(60_000))!];
    assert.equal(rows[0]!.id, rows[1]!.id, 'two copies of one delivery id');
    const handled = rows.map((r) => alerts.worker.handle(r, stop));
    await Promise.race(handled);
    open();
    await Promise.all(handled);
    assert.deepEqual(posted, [CHANNEL], 'the card was posted once');
    assert.equal((await alerts.channels('pim-1'))?.[0]?.state, 'delivered');
  });

  /** Works every row due now, the instances taking turns. */
  async function drain(instances: readonly Alerts[]): Promise<void> {
    let n = 0;
    for (let row = await outbox.lease(60_000); row; row = await outbox.lease(60_000)) {
      await instances[n++ % instances.length]!.worker.handle(row, stop);
    }
  }

  it('keeps one periodic row however many times instances start, and runs the pass once per period', async () => {
    let passes = 0;
    const sweepExpired = async () => {
      passes++;
      return 0;
    };
    // Rows an earlier version queued on each of its starts, all under one id.
    for (let i = 0; i < 2; i++) await outbox.enqueue(TICK_ROW, { eventId: TICK_ROW });
    const instances = ['boot-1', 'boot-2', 'boot-3'].map((b) => instance(b, async () => 'a', { sweepExpired }));
    for (const i of instances) await i.worker.startPeriodic();
    await instances[0]!.worker.startPeriodic(); // boot-1 restarted
    for (let period = 0; period < 3; period++) {
      await drain(instances);
      clock += PERIODIC_EVERY_MS;
    }
    assert.equal(passes, 3, 'one pass per period');
    assert.equal(await outbox.size(), 1, 'one periodic row');
    // Two more starts later on: still one row, still one pass per period.
    await instances[1]!.worker.startPeriodic();
    await instances[2]!.worker.startPeriodic();
    await drain(instances);
    assert.equal(passes, 4);
    assert.equal(await outbox.size(), 1);
  });

  it('a second copy of the named periodic row (an enqueue sent twice) runs nothing and is gone', async () => {
    let passes = 0;
    const sweepExpired = async () => {
      passes++;
      return 0;
    };
    const alerts = instance('boot-1', async () => 'a', { sweepExpired });
    await alerts.worker.startPeriodic();
    // The SDK put the row's message again after an answer was lost (e2e/alerts.azurite.twoCopies).
    const named = outbox.messages[0]!;
    await outbox.enqueue(named.id, named.payload);
    for (let period = 0; period < 3; period++) {
      await drain([alerts]);
      clock += PERIODIC_EVERY_MS;
    }
    assert.equal(passes, 3, 'one pass per period');
    assert.equal(await outbox.size(), 1, 'one copy of the row is left');
  });

  it('queues the periodic row again on a start once the one it named has been silent for three periods', async () => {
    let passes = 0;
    const alerts = instance('boot-1', async () => 'a', {
      sweepExpired: async () => {
        passes++;
        return 0;
      },
    });
    await alerts.worker.startPeriodic();
    await drain([alerts]);
    assert.equal(passes, 1);
    outbox.messages.splice(0); // the queue lost the row
    await alerts.worker.startPeriodic();
    assert.equal(await outbox.size(), 0, 'a start does not queue a second row while the named one may be alive');
    clock += 3 * PERIODIC_EVERY_MS;
    await alerts.worker.startPeriodic();
    assert.equal(await outbox.size(), 1);
    await drain([alerts]);
    assert.equal(passes, 2, 'the pass goes on');
  });

  it('a periodic row lost while every instance runs is queued again within 4 periods, and stays one row', async () => {
    let passes = 0;
    const sweepExpired = async () => {
      passes++;
      return 0;
    };
    // Each instance's periodic checks, run by hand once per period of the injected clock.
    const checks: Array<() => Promise<void>> = [];
    const periodicEvery = (check: () => Promise<void>, ms: number) => {
      assert.equal(ms, PERIODIC_EVERY_MS, 'checked once a period');
      checks.push(check);
      return () => void checks.splice(checks.indexOf(check), 1);
    };
    const instances = ['boot-1', 'boot-2'].map((b) => instance(b, async () => 'a', { sweepExpired, periodicEvery }));
    for (const i of instances) await i.worker.startPeriodic();
    await drain(instances);
    assert.equal(passes, 1);
    // The named row is completed while both instances run (as an instance of the previous release
    // did: it completed every `@alerts:` row other than `@alerts:tick`), and neither restarts.
    clock += PERIODIC_EVERY_MS;
    const named = await outbox.lease(60_000);
    assert.match(named?.id ?? '', /^@alerts:tick:/);
    await outbox.complete(named!);
    for (let period = 0; period < 4 && passes < 2; period++) {
      clock += PERIODIC_EVERY_MS;
      await Promise.all(checks.map((check) => check()));
      await drain(instances);
    }
    assert.equal(passes, 2, 'the pass runs again without a restart');
    assert.equal(await outbox.size(), 1, 'one periodic row, though both instances checked at once');
    for (const i of instances) await i.worker.stopPeriodic();
    assert.equal(checks.length, 0, 'the checks stop on shutdown');
  });
});
