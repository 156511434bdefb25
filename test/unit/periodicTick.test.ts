// One lease of the periodic row: the pass runs while its lease is renewed. When the lease is lost
// all the same (the store says someone else holds the row, or fails to renew it until the next
// renewal would come only as the lease runs out)
// or the instance stops, the pass is told through its signal, so it writes nothing beside the
// row's new holder (who runs the same pass: reminders counted twice) or into a closing store.
// The renewals' timer and the outbox are fakes run by hand.

import { strict as assert } from 'node:assert';
import { PERIODIC_LEASE_MS, PeriodicJob, runPeriodicRow } from '../../src/alerts/periodicTick';
import { Lease } from '../../src/state/port';
import { recordingLogger } from '../fixtures/recordingLogger';

type Row = Lease<{ readonly eventId: string }>;
const ROW: Row = { id: 'tick', payload: { eventId: '@alerts:tick:1' }, attempts: 1, receipt: 'r0' };

/** A fake outbox whose renewals answer as `answers` says, in turn (the first is the renewal at the
 * pass's start), and which notes what became of the row. */
function outboxAnswering(answers: Array<'renewed' | 'lost' | 'failed'>) {
  const ends: string[] = [];
  let n = 0;
  return {
    ends,
    outbox: {
      extend: async (row: Row): Promise<Row | null> => {
        const answer = answers[n++] ?? 'renewed';
        if (answer === 'failed') throw new Error('store did not answer');
        return answer === 'lost' ? null : { ...row, receipt: `r${n}` };
      },
      complete: async (row: Row) => (ends.push(`complete ${row.receipt}`), true),
      release: async (row: Row, ms: number) => (ends.push(`release ${row.receipt} ${ms}`), true),
    },
  };
}

/** A job whose pass waits until the test lets it end, and keeps the signal it was given. */
function heldJob() {
  const timers: Array<() => Promise<void>> = [];
  let end!: () => void;
  const ended = new Promise<void>((r) => (end = r));
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const seen: { stop?: AbortSignal } = {};
  const job: PeriodicJob = {
    everyMs: 300_000,
    run: async (stop?: AbortSignal) => {
      seen.stop = stop;
      started();
      await ended;
      // As the real pass does: no write once told to stop.
      stop?.throwIfAborted();
    },
    row: { ensure: async () => undefined, beat: async () => true },
    watch: { start: async () => undefined, stop: async () => undefined },
    every: (tick, ms) => {
      assert.equal(ms, PERIODIC_LEASE_MS / 3);
      timers.push(tick);
      return () => timers.splice(timers.indexOf(tick), 1);
    },
  };
  const renew = async (): Promise<void> => {
    for (const t of [...timers]) await t();
  };
  return { job, seen, running, end, renew, timers };
}

describe('the periodic row: a pass that loses its lease', () => {
  it('is told to stop when the store answers that the row is held by someone else', async () => {
    const { outbox, ends } = outboxAnswering(['renewed', 'renewed', 'lost']);
    const { job, seen, running, end, renew } = heldJob();
    const pass = runPeriodicRow(job, outbox, recordingLogger().logger, ROW, ROW.payload.eventId);
    await running;
    await renew();
    assert.equal(seen.stop?.aborted, false, 'a renewed lease lets the pass go on');
    await renew();
    assert.equal(seen.stop?.aborted, true, 'the lost lease stops the pass before its next write');
    end();
    await pass;
    assert.deepEqual(ends, [], 'the row is left to its new holder');
  });

  it('is told to stop before its lease runs out when the store answers no renewal', async () => {
    // Renewed every third of the lease: after two failures in a row the next renewal is due just
    // as the last renewed lease runs out, when another instance may lease the row and start the
    // same pass. Waiting for that third one let the pass write beside it until the store's deadline.
    const { outbox, ends } = outboxAnswering(['renewed', 'failed', 'failed', 'failed']);
    const { job, seen, running, end, renew } = heldJob();
    const pass = runPeriodicRow(job, outbox, recordingLogger().logger, ROW, ROW.payload.eventId);
    await running;
    await renew();
    assert.equal(seen.stop?.aborted, false, 'one failed renewal: the next one can still keep the lease');
    await renew();
    assert.equal(seen.stop?.aborted, true, 'the second: no renewal could keep the lease any more');
    end();
    await pass;
    assert.deepEqual(ends, [], 'a row whose lease is running out is neither given back nor completed');
  });

  it('goes on after a failed renewal that the next one makes good, and gives the row back renewed', async () => {
    const { outbox, ends } = outboxAnswering(['renewed', 'failed', 'renewed', 'failed', 'renewed']);
    const { job, seen, running, end, renew } = heldJob();
    const pass = runPeriodicRow(job, outbox, recordingLogger().logger, ROW, ROW.payload.eventId);
    await running;
    for (let i = 0; i < 4; i++) await renew();
    assert.equal(seen.stop?.aborted, false);
    end();
    await pass;
    assert.deepEqual(ends, [`release r5 ${job.everyMs}`]);
  });

  it('is told to stop by shutdown, and its row is given back due now with no renewal left running', async () => {
    const { outbox, ends } = outboxAnswering([]);
    const { job, seen, running, end, timers } = heldJob();
    const shutdown = new AbortController();
    const { logger, events } = recordingLogger();
    const pass = runPeriodicRow(job, outbox, logger, ROW, ROW.payload.eventId, shutdown.signal);
    await running;
    shutdown.abort(new Error('stopping'));
    assert.equal(seen.stop?.aborted, true);
    end();
    await pass;
    assert.deepEqual(ends, ['release r1 0']);
    assert.equal(timers.length, 0, 'the renewals stopped with the pass');
    assert.deepEqual(events(), [], 'a pass stopped on purpose is not logged as failed');
  });

  // The worker leased the row, then asked the tick record whether this row is the live one: each
  // may take up to the store's deadline (10 s), so the lease may be well aged when the pass starts.
  // Counted from the start alone, two failed renewals came at start + 40 s, later than a 60 s lease
  // leased 20 s before; renewed at the start, the count starts from a lease of known age.
  it('renews its lease as it starts, and does not start when that renewal finds the row lost', async () => {
    const { outbox, ends } = outboxAnswering(['lost']);
    const { job, seen, running, end, renew } = heldJob();
    let ran = false;
    void running.then(() => (ran = true));
    const pass = runPeriodicRow(job, outbox, recordingLogger().logger, ROW, ROW.payload.eventId);
    await pass;
    await renew();
    end();
    assert.equal(ran, false, 'no pass on a row someone else holds');
    assert.equal(seen.stop, undefined);
    assert.deepEqual(ends, [], 'the row is left to its holder');
  });

  // The lease's age is known only from a renewal that held: when the one at the start fails, the
  // lease may be as old as the lease call, the tick record's check and that renewal's own deadline
  // (10 s each), and the next renewal (a third of the lease later) would fail only as the lease
  // runs out, when another instance may lease the row and run the same pass beside this one.
  it('does not start when the renewal at its start fails, and leaves the row to come back', async () => {
    const { outbox, ends } = outboxAnswering(['failed']);
    const { job, seen, running, end, timers } = heldJob();
    let ran = false;
    void running.then(() => (ran = true));
    end(); // a pass that starts all the same ends at once
    await runPeriodicRow(job, outbox, recordingLogger().logger, ROW, ROW.payload.eventId);
    await Promise.resolve();
    assert.equal(ran, false, 'no pass on a lease of unknown age');
    assert.equal(seen.stop, undefined);
    assert.deepEqual(ends, [], 'the row comes back when its lease ends');
    assert.equal(timers.length, 0, 'no renewal left running');
  });
});
