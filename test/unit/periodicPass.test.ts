// The periodic pass: reminders and the digest, then the sweep of expired state records. Each part
// runs whatever the other did, and each failure is reported as its own.

import { strict as assert } from 'node:assert';
import { periodicPass } from '../../src/notifications/alertsSetup';
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
});
