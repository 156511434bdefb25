// The periodic pass: reminders and the digest, then the sweep of expired state records. Each part
// runs whatever the other did, and each failure is reported as its own.

import { strict as assert } from 'node:assert';
import { periodicPass } from '../../src/notifications/periodicJob';
import { recordingLogger } from '../fixtures/recordingLogger';

describe('the periodic pass', () => {
  it('sweeps even when the alerts pass failed, and reports the alerts failure', async () => {
    const { logger, events } = recordingLogger();
    let swept = false;
    await assert.rejects(
      periodicPass(
        () => Promise.reject(new Error('digest failed')),
        async () => {
          swept = true;
          return 3;
        },
        logger,
      ),
      /digest failed/,
    );
    assert.ok(swept);
    assert.deepEqual(events(), ['state.swept']);
  });

  it('a failed sweep is logged as a sweep failure and never hides the alerts failure', async () => {
    const { logger, events } = recordingLogger();
    await assert.rejects(
      periodicPass(
        () => Promise.reject(new Error('digest failed')),
        () => Promise.reject(new Error('storage down')),
        logger,
      ),
      /digest failed/,
    );
    assert.deepEqual(events(), ['state.sweep.failed']);
  });

  it('a failed sweep alone does not fail the pass', async () => {
    const { logger, events } = recordingLogger();
    await periodicPass(
      async () => undefined,
      () => Promise.reject(new Error('storage down')),
      logger,
    );
    assert.deepEqual(events(), ['state.sweep.failed']);
  });

  // The pass was told to stop (its row's lease lost, or shutdown): another instance may hold the
  // row and run the same pass, or the store is closing; the next holder sweeps.
  it('does not sweep once told to stop', async () => {
    const { logger } = recordingLogger();
    const stop = new AbortController();
    stop.abort(new Error('the periodic row was lost'));
    let swept = false;
    await periodicPass(
      async () => undefined,
      async () => {
        swept = true;
        return 1;
      },
      logger,
      stop.signal,
    );
    assert.equal(swept, false);
  });

  // Shutdown raised while the sweep works: the sweep hears the stop (and stops before its next
  // write); what it did is logged, and a sweep cut short by the stop is no failure.
  it('hands its stop to the sweep, and a sweep stopped mid-way is not logged as a failure', async () => {
    const { logger, lines, events } = recordingLogger();
    const stop = new AbortController();
    let heard: AbortSignal | undefined;
    await periodicPass(
      async () => undefined,
      async (signal) => {
        heard = signal;
        stop.abort(new Error('shutdown'));
        return 2;
      },
      logger,
      stop.signal,
    );
    assert.equal(heard, stop.signal, 'the sweep was given the pass’s stop');
    assert.deepEqual(events(), ['state.sweep.stopped']);
    assert.equal(lines[0]!.count, 2);
    assert.equal(lines[0]!.level, 'info', 'not a warning');
  });

  it('a sweep that fails once the stop was raised (the store closing) is logged as stopped, not failed', async () => {
    const { logger, lines, events } = recordingLogger();
    const stop = new AbortController();
    await periodicPass(
      async () => undefined,
      async () => {
        stop.abort(new Error('shutdown'));
        throw new Error('state store: sweep failed (closed)');
      },
      logger,
      stop.signal,
    );
    assert.deepEqual(events(), ['state.sweep.stopped']);
    // The stop may itself come of a failing store (the periodic row's lease lost): what the sweep
    // threw stays in the line, so a store that failed is not told as a stop alone.
    assert.match(JSON.stringify(lines[0]!.err), /sweep failed \(closed\)/);
  });
});
