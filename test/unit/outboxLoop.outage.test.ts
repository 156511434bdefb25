// The outbox loop polls its store about twice a second (pollMs 500). While the store is down
// every poll fails; a line each time would be some 7,200 error lines an hour, burying every other
// line. The first failure is logged at once, then at most one line a minute with the failures
// since the last line, and one line when the store answers again.

import { strict as assert } from 'node:assert';
import pino from 'pino';
import { OutboxLoop } from '../../src/notifications/outboxLoop';

interface Line {
  readonly level: number;
  readonly event?: string;
  readonly failures?: number;
}

describe('outbox loop: a store outage', () => {
  it('logs the first failed lease, then one line a minute with the count, and one when the store answers again', async () => {
    const lines: Line[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
    let clock = 0;
    let leases = 0;
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const loop = new OutboxLoop({
      // 300 polls half a second apart fail (0 s to 149.5 s), then the store answers (no row due).
      lease: async () => {
        leases++;
        clock = (leases - 1) * 500;
        if (leases === 305) done();
        if (leases <= 300) throw new Error('the store is down');
        return null;
      },
      giveBack: async () => undefined,
      handle: async () => undefined,
      logger,
      pollMs: 1,
      concurrency: 4,
      now: () => clock,
    });
    loop.start();
    await finished;
    await loop.stop(100);

    const told = lines.map((l) => [l.event, l.failures]);
    assert.deepEqual(told, [
      ['notification.outbox.failed', undefined], // the first, at 0 s
      ['notification.outbox.stillFailing', 120], // at 60 s: polls 2 to 121
      ['notification.outbox.stillFailing', 120], // at 120 s: polls 122 to 241
      ['notification.outbox.recovered', 59], // at 150 s: polls 242 to 300
    ]);
    assert.deepEqual(
      lines.map((l) => l.level),
      [50, 50, 50, 30],
      'failures at error level, the recovery at info',
    );
  });

  // An outage of one kind (the store unreachable) during which the store answers something else
  // once (its role assignment gone: 403): a line a minute with the latest error only would show
  // that other failure only if it fell on the minute, and the counts would hide it. A kind not yet
  // seen in the outage is logged at once; the same kind again waits for the minute's line.
  it('logs at once a failure of a kind not yet seen in the outage, and only once', async () => {
    const lines: Array<Line & { err?: { code?: string; statusCode?: number } }> = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
    let clock = 0;
    let leases = 0;
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const unreachable = (): Error => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const refused = (): Error =>
      Object.assign(new Error('This request is not authorized'), { name: 'RestError', statusCode: 403 });
    const loop = new OutboxLoop({
      // 100 polls half a second apart fail (0 s to 49.5 s): unreachable, but polls 20 and 40 refused.
      lease: async () => {
        leases++;
        clock = (leases - 1) * 500;
        if (leases === 102) done();
        if (leases <= 100) throw leases === 20 || leases === 40 ? refused() : unreachable();
        return null;
      },
      giveBack: async () => undefined,
      handle: async () => undefined,
      logger,
      pollMs: 1,
      concurrency: 4,
      now: () => clock,
    });
    loop.start();
    await finished;
    await loop.stop(100);
    assert.deepEqual(
      lines.map((l) => [l.event, l.err?.code ?? l.err?.statusCode]),
      [
        ['notification.outbox.failed', 'ECONNREFUSED'],
        ['notification.outbox.failed', 403], // poll 20, at once: a kind this outage had not shown
        ['notification.outbox.recovered', undefined], // poll 40's 403 is counted, not logged again
      ],
    );
    const recovered = lines.at(-1) as Line;
    assert.equal(recovered.failures, 80, 'the failures since the last line (polls 21 to 100) are counted');
  });

  it('logs a second outage from its first failure again', async () => {
    const lines: Line[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
    let leases = 0;
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const failing = new Set([1, 2, 4]);
    const loop = new OutboxLoop({
      lease: async () => {
        leases++;
        if (leases === 6) done();
        if (failing.has(leases)) throw new Error('the store is down');
        return null;
      },
      giveBack: async () => undefined,
      handle: async () => undefined,
      logger,
      pollMs: 1,
      concurrency: 4,
      now: () => 0,
    });
    loop.start();
    await finished;
    await loop.stop(100);
    assert.deepEqual(
      lines.map((l) => [l.event, l.failures]),
      [
        ['notification.outbox.failed', undefined],
        ['notification.outbox.recovered', 1],
        ['notification.outbox.failed', undefined],
        ['notification.outbox.recovered', 0],
      ],
    );
  });
});
