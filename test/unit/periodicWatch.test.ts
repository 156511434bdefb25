// The periodic row's checks (src/alerts/periodicWatch.ts): a check on the timer that fails is
// reported and the next one runs; the first, at start, rejects so the start can say so; stop ends
// the timer and waits for a check under way, so the store is never closed under it.

import { strict as assert } from 'node:assert';
import { PeriodicWatch } from '../../src/alerts/periodicWatch';

/** A watch whose timer is run by hand, with a check the test answers. */
function rig(check: () => Promise<void>) {
  const errors: unknown[] = [];
  let tick: (() => Promise<void>) | null = null;
  const watch = new PeriodicWatch({
    check,
    everyMs: 300_000,
    onError: (e) => errors.push(e),
    every: (run) => {
      tick = run;
      return () => (tick = null);
    },
  });
  return { watch, errors, tick: () => tick };
}

describe('periodic row checks', () => {
  it('reports a failed check on the timer without throwing, and checks again on the next one', async () => {
    let calls = 0;
    const { watch, errors, tick } = rig(async () => {
      calls++;
      if (calls === 2) throw new Error('state store: read failed');
    });
    await watch.start();
    await tick()!(); // resolves: the failure goes to onError
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /read failed/);
    await tick()!();
    assert.equal(calls, 3, 'the next check ran');
    assert.equal(errors.length, 1);
  });

  it('rejects the start when its first check fails, and keeps checking', async () => {
    let fail = true;
    const { watch, tick } = rig(async () => {
      if (fail) throw new Error('state store: unreachable');
    });
    await assert.rejects(watch.start(), /unreachable/);
    fail = false;
    assert.ok(tick(), 'the timer runs although the first check failed');
  });

  it('stops its timer on stop, after the check under way has finished', async () => {
    let finish: () => void = () => {};
    let finished = false;
    const { watch, tick } = rig(
      () =>
        new Promise<void>((resolve) => {
          finish = () => {
            finished = true;
            resolve();
          };
        }),
    );
    const started = watch.start();
    const stopped = watch.stop().then(() => finished);
    assert.equal(tick(), null, 'no timer after stop');
    finish();
    await started;
    assert.equal(await stopped, true, 'stop waited for the check under way');
  });
});
