// The "actions taken" hook's after-work on the digest: an action's count and the waiting-list
// update run side by side, both finish (or fail) before the hook does, so shutdown's wait for the
// hooks covers them, and every failure is reported, not only the first.

import { strict as assert } from 'node:assert';
import { ActionAlerts } from '../../src/alerts/actionAlerts';
import { FinishedAction } from '../../src/alerts/actionFeed';
import { DigestLog } from '../../src/alerts/digest';

const action: FinishedAction = {
  actionId: 'corr-1',
  operation: 'cancelRoleRequest',
  ids: { requestId: '11111111-1111-4111-8111-111111111111' },
  actor: { name: 'Megan Bowen', id: 'aad-megan' },
  outcome: 'succeeded',
  at: Date.UTC(2026, 2, 4, 12),
  via: 'chat',
};

function hook(digest: Partial<DigestLog>, errors: unknown[]): ActionAlerts {
  return new ActionAlerts({
    alerts: {} as never,
    digest: digest as DigestLog,
    anySubscriber: async () => false,
    onError: (e) => void errors.push(e),
  });
}

const later = (ms: number, then: () => void) => new Promise<void>((r) => setTimeout(r, ms)).then(then);

describe('alerts: the action hook on the digest', () => {
  it('does not finish before the count when the waiting-list update fails first', async () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const actions = hook(
      {
        count: () => later(30, () => void log.push('counted')),
        settled: () => Promise.reject(new Error('waiting list: write failed')),
      },
      errors,
    );
    await assert.rejects(actions.publish(action), /waiting list: write failed/);
    assert.deepEqual(log, ['counted'], 'the count finished before the hook did');
    assert.deepEqual(errors, []);
  });

  it('reports both failures when the count and the waiting-list update both fail', async () => {
    const errors: unknown[] = [];
    const actions = hook(
      {
        count: () =>
          later(10, () => {
            throw new Error('count: write failed');
          }),
        settled: () => Promise.reject(new Error('waiting list: write failed')),
      },
      errors,
    );
    await assert.rejects(actions.publish(action), /count: write failed/);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['waiting list: write failed'],
    );
  });
});
