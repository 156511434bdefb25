// An "actions taken" alert whose store is tried again (ActionAlerts: a store that fails gets two
// more tries) posts one card per channel, even when the first store did land and only its answer
// was lost: the retry stores under the same event id, so it keeps the first alert, and its second
// fan-out row finds the delivery queued or delivered already. On the SQLite outbox (an id queued
// twice is one row) and on a queue that keeps every copy, as Azure Queue Storage does ("Put
// Message" always adds one: https://learn.microsoft.com/rest/api/storageservices/put-message),
// whether the first row was worked before the retry or after it.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ActionAlerts } from '../../src/alerts/actionAlerts';
import type { FinishedAction } from '../../src/alerts/actionFeed';
import type { StoredAlert } from '../../src/alerts/alertStore';
import { createLogger } from '../../src/log';
import { Alerts, createAlerts } from '../../src/notifications/alertsSetup';
import { CardBindings } from '../../src/state/cardBindings';
import type { WorkQueue } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { AzureLikeQueue } from '../fixtures/azureLikeQueue';

const TEAM = '19:team@thread.tacv2';
const CHANNEL = '19:ops@thread.tacv2';

const action: FinishedAction = {
  actionId: 'corr-1',
  operation: 'cancelRoleRequest',
  ids: { requestId: '11111111-1111-4111-8111-111111111111' },
  actor: { name: 'Megan Bowen', id: 'aad-megan' },
  outcome: 'succeeded',
  at: 1_700_000_000_000,
  via: 'chat',
};

describe('alerts: an action alert stored again after its answer was lost', () => {
  let dir: string;
  let state: SqliteState;
  let clock: number;
  const stop = new AbortController().signal;

  beforeEach(() => {
    clock = 1_700_000_000_000;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-action-retry-'));
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const queue of ['SQLite outbox', 'queue keeping every copy'] as const) {
    for (const worked of ['before', 'after'] as const) {
      it(`${queue}: one card when the first row is worked ${worked} the retry`, async () => {
        const outbox: WorkQueue<{ eventId: string }> =
          queue === 'SQLite outbox' ? state.outbox : new AzureLikeQueue<{ eventId: string }>(() => clock);
        const posted: string[] = [];
        const alerts: Alerts = createAlerts({
          state: { records: state.records, outbox },
          bindings: new CardBindings(state.records),
          send: async (reference) => {
            posted.push(reference.conversation?.id ?? '');
            return `post-${posted.length}`;
          },
          logger: createLogger({ level: 'silent' }),
          owner: 'instance-1',
          tenantId: 'tenant-1',
          servedTenant: null,
          now: () => clock,
          marginMs: 0,
        });
        await alerts.subscriptions.setTeamChannels(TEAM, [{ id: CHANNEL, name: 'Ops' }]);
        await alerts.reach.rememberTeam(TEAM, {
          serviceUrl: 'https://smba.test/',
          channelId: 'msteams',
          conversation: { id: TEAM, tenantId: 'tenant-1' },
        });
        await alerts.subscriptions.setCategory({ teamId: TEAM, channelId: CHANNEL }, 'actions', true, {
          userId: 'owner',
          correlationId: 'c',
        });
        const drain = async (): Promise<void> => {
          for (let row = await outbox.lease(60_000); row; row = await outbox.lease(60_000))
            await alerts.worker.handle(row, stop);
        };
        let stores = 0;
        const errors: unknown[] = [];
        const actions = new ActionAlerts({
          alerts: {
            // The first store lands, then its answer is lost (a timeout, a dropped connection).
            publish: async (alert: StoredAlert) => {
              await alerts.store.publish(alert);
              if (++stores > 1) return;
              if (worked === 'before') await drain();
              throw new Error('store: the answer was lost');
            },
          } as never,
          digest: alerts.digest,
          anySubscriber: () => alerts.subscriptions.anySubscriber('actions'),
          retryDelaysMs: [0],
          onError: (e) => void errors.push(e),
          now: () => clock,
        });
        await actions.publish(action);
        assert.equal(stores, 2, 'the store was tried again');
        await drain();
        clock += 10 * 60_000;
        await drain();
        assert.deepEqual(posted, [CHANNEL], 'one card in the channel');
        assert.deepEqual(errors, []);
      });
    }
  }
});
