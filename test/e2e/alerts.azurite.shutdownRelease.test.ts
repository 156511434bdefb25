// A channel delivery on Azure Storage (Azurite) across two machines: the first claims it and waits
// for its moment under Teams' limits (the thread held by a Retry-After,
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit), and shuts down
// during that wait. Nothing was sent, so its claim goes back uncounted and its row at once; the
// second machine takes both, posts the card once, and the record counts that one attempt.

import { strict as assert } from 'node:assert';
import { StoredAlert } from '../../src/alerts/alertStore';
import { Alerts, createAlerts } from '../../src/notifications/alertsSetup';
import { AzureState } from '../../src/state/azure';
import { CardBindings } from '../../src/state/cardBindings';
import { azuriteSession } from '../fixtures/azuriteSession';
import { eventually } from '../fixtures/deliverySession';
import { recordingLogger } from '../fixtures/recordingLogger';

const TEAM = '19:team@thread.tacv2';
const CHANNEL = '19:ops@thread.tacv2';
const card = {
  attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [] } },
  summary: 's',
};

describe('a channel delivery on Azure Storage (Azurite), its machine shut down mid-wait', function () {
  this.timeout(60_000);
  const session = azuriteSession();

  it('the claim given back by shutdown is taken by the other machine: one post, one attempt', async () => {
    const container = session.freshContainer();
    const posted: string[] = [];
    const machines = ['machine-1', 'machine-2'].map((owner) => {
      const state = new AzureState({ connectionString: session.connectionString, container });
      const alerts: Alerts = createAlerts({
        state,
        bindings: new CardBindings(state.records),
        send: async (reference) => {
          posted.push(`${owner} ${reference.conversation?.id ?? ''}`);
          return `activity-${posted.length}`;
        },
        logger: recordingLogger().logger,
        owner,
        tenantId: 'tenant-1',
        servedTenant: null,
      });
      return { state, alerts };
    });
    const [first, second] = machines as [(typeof machines)[0], (typeof machines)[0]];
    await first.alerts.subscriptions.setTeamChannels(TEAM, [{ id: CHANNEL, name: 'Ops' }]);
    await first.alerts.reach.rememberTeam(TEAM, {
      serviceUrl: 'https://smba.test/',
      channelId: 'msteams',
      conversation: { id: TEAM, tenantId: 'tenant-1' },
    });
    await first.alerts.subscriptions.setCategory({ teamId: TEAM, channelId: CHANNEL }, 'roleRequests', true, {
      userId: 'owner',
      correlationId: 'c',
    });
    const alert: StoredAlert = { eventId: 'pim-1', category: 'roleRequests', card };
    await first.alerts.store.publish(alert);
    const fanout = await first.state.outbox.lease(30_000);
    assert.ok(fanout);
    await first.alerts.worker.handle(fanout, new AbortController().signal);
    const deliveryId = `pim-1:${CHANNEL}`;

    // The thread is held for a moment (a Retry-After): the first machine claims and waits.
    await first.alerts.scheduler.hold('tenant-1', CHANNEL, first.state.now() + 1_500);
    const row = await first.state.outbox.lease(30_000);
    assert.ok(row);
    const shutdown = new AbortController();
    const waiting = first.alerts.worker.handle(row, shutdown.signal);
    await eventually(async () => (await first.alerts.ledger.get(deliveryId))?.state === 'sending', 'the claim');
    shutdown.abort(new Error('shutdown'));
    await waiting;
    assert.deepEqual(posted, [], 'nothing sent by the machine that shut down');
    const given = await second.alerts.ledger.get(deliveryId);
    assert.equal(given?.state, 'queued');
    assert.equal(given?.attempts, 0, 'the taking is given back uncounted');

    // The second machine finds the row due at once, and posts once the hold has passed.
    const again = await second.state.outbox.lease(30_000);
    assert.equal(again?.id, row.id);
    await second.alerts.worker.handle(again!, new AbortController().signal);
    assert.deepEqual(posted, [`machine-2 ${CHANNEL}`]);
    const done = await second.alerts.ledger.get(deliveryId);
    assert.equal(done?.state, 'delivered');
    assert.equal(done?.attempts, 1, 'one attempt: the post');
    assert.equal(await second.state.outbox.lease(30_000), null, 'no row left to post it again');
  });
});
