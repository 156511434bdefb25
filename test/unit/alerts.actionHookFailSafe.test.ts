// The "actions taken" hook when the store hiccups: a failed look for subscribers, or a failed store
// of the alert, must lose neither the alert (it is stored and queued anyway, the store tried again
// a few times inside a deadline) nor the day's count for the digest, which never waits for the
// alert. The person's answer never waits for any of it (onAudit returns at once).

import { strict as assert } from 'node:assert';
import { ActionAlerts } from '../../src/alerts/actionAlerts';
import { FinishedAction } from '../../src/alerts/actionFeed';
import { DigestLog } from '../../src/alerts/digest';
import type { StoredAlert } from '../../src/alerts/alertStore';

const action: FinishedAction = {
  actionId: 'corr-1',
  operation: 'cancelRoleRequest',
  ids: { requestId: '11111111-1111-4111-8111-111111111111' },
  actor: { name: 'Megan Bowen', id: 'aad-megan' },
  outcome: 'succeeded',
  at: Date.UTC(2026, 2, 4, 12),
  via: 'chat',
};

interface Seen {
  readonly published: string[];
  readonly counted: string[];
  readonly errors: unknown[];
}

function hook(opts: {
  anySubscriber: () => Promise<boolean>;
  publish: (a: StoredAlert) => Promise<void>;
  count?: () => Promise<void>;
  seen: Seen;
}): ActionAlerts {
  return new ActionAlerts({
    alerts: {
      publish: async (a: StoredAlert) => {
        await opts.publish(a);
        opts.seen.published.push(a.eventId);
      },
    } as never,
    digest: {
      count: async (category: string, outcome: string) => {
        await opts.count?.();
        opts.seen.counted.push(`${category}/${outcome}`);
      },
      settled: async () => undefined,
    } as unknown as DigestLog,
    anySubscriber: opts.anySubscriber,
    retryDelaysMs: [1, 1],
    onError: (e) => void opts.seen.errors.push(e),
  });
}

const fresh = (): Seen => ({ published: [], counted: [], errors: [] });

describe('alerts: the action hook when the store hiccups', () => {
  it('stores the alert and counts the action when the look for subscribers fails', async () => {
    const seen = fresh();
    const actions = hook({
      anySubscriber: () => Promise.reject(new Error('store: read timed out')),
      publish: async () => undefined,
      seen,
    });
    actions.onAudit({
      event: 'governance.action',
      operation: 'cancelRoleRequest',
      targetIds: ['11111111-1111-4111-8111-111111111111'],
      userId: 'aad-megan',
      userName: 'Megan Bowen',
      correlationId: 'corr-1',
      outcome: 'succeeded',
    } as never);
    await actions.idle();
    assert.equal(seen.published.length, 1, 'the alert is stored and queued anyway');
    assert.deepEqual(seen.counted, ['actions/succeeded'], "the day's count is kept");
    assert.deepEqual(
      seen.errors.map((e) => (e as Error).message),
      ['store: read timed out'],
      'the failed look is reported once, though the alert went out',
    );
  });

  it('counts the action even when storing the alert fails every time', async () => {
    const seen = fresh();
    let tries = 0;
    const actions = hook({
      anySubscriber: async () => true,
      publish: () => {
        tries++;
        return Promise.reject(new Error('store: write failed'));
      },
      seen,
    });
    await assert.rejects(actions.publish(action), /store: write failed/);
    assert.deepEqual(seen.counted, ['actions/succeeded'], "the day's count does not depend on the alert");
    assert.equal(tries, 3, 'the store is tried again, a bounded number of times');
  });

  it('stores the alert when a later try succeeds', async () => {
    const seen = fresh();
    let tries = 0;
    const actions = hook({
      anySubscriber: async () => true,
      publish: async () => {
        if (++tries === 1) throw new Error('store: busy');
      },
      seen,
    });
    await actions.publish(action);
    assert.equal(seen.published.length, 1);
    assert.deepEqual(seen.counted, ['actions/succeeded']);
    assert.deepEqual(seen.errors, []);
  });

  it('does not wait for the alert to count the action', async () => {
    const seen = fresh();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const actions = hook({ anySubscriber: async () => true, publish: () => held, seen });
    const done = actions.publish(action);
    // The count is written while the alert's store still hangs.
    for (let i = 0; i < 20 && seen.counted.length === 0; i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen.counted, ['actions/succeeded']);
    release();
    await done;
  });
});
