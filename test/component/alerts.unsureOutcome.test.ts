// A channel alert Teams answered with a 500 (its table of the bot APIs' status codes marks it
// "Retry: No": the post may have been made,
// https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis),
// or with no message id, is dead-lettered and never posted again. That outcome was written once:
// a write that failed left the row to come back, the delivery still `sending` under a claim that
// then ran out, and the next pass claimed it and posted the card a second time. It is now
// remembered, as a posted card's `delivered` is (alerts.rememberedPost.test.ts), and the row's next
// pass writes it.

import { strict as assert } from 'node:assert';
import { deliveryIdOf } from '../../src/alerts/fanout';
import { StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { Alerts } from '../../src/notifications/alertsSetup';
import { alertsOnSqlite } from './alertsOnSqlite';

const TEAM = '19:team@thread.tacv2';
const CHANNEL = '19:ch0@thread.tacv2';
const card = {
  attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [] } },
  summary: 's',
};
const serverError = () =>
  Object.assign(new Error('HTTP 500'), { statusCode: 500, response: { headers: { get: () => null } } });

describe('alerts: a post that may have been made, whose dead-letter could not be written', () => {
  const w = alertsOnSqlite('govbot-unsure-alert-');

  async function handleOne(i: { state: SqliteState; alerts: Alerts }): Promise<void> {
    const row = await i.state.outbox.lease(30_000);
    assert.ok(row, 'a row is due');
    await i.alerts.worker.handle(row, new AbortController().signal).catch(() => undefined);
  }

  for (const [what, first] of [
    ['Teams answered 500', () => Promise.reject(serverError())],
    ['Teams answered without a message id', () => Promise.resolve(undefined)],
  ] as const) {
    it(`is not posted again by the row's next pass (${what})`, async () => {
      let sends = 0;
      const i = w.instance('A', { send: async () => (++sends === 1 ? first() : `activity-${sends}`) });
      await i.alerts.subscriptions.setTeamChannels(TEAM, [{ id: CHANNEL, name: 'ops' }]);
      await i.alerts.reach.rememberTeam(TEAM, {
        serviceUrl: 'https://smba.test/',
        channelId: 'msteams',
        conversation: { id: TEAM, tenantId: 'tenant-1' },
      });
      await i.alerts.subscriptions.setCategory({ teamId: TEAM, channelId: CHANNEL }, 'workflowRuns', true, {
        userId: 'owner',
        correlationId: 'c',
      });
      await i.alerts.store.publish({ eventId: 'run-1', category: 'workflowRuns', card });
      await handleOne(i); // the fan-out row

      const { ledger } = i.alerts;
      const deadLetter = ledger.deadLetter.bind(ledger);
      let failed = false;
      ledger.deadLetter = async (...args) => {
        if (failed) return deadLetter(...args);
        failed = true;
        throw new StateUnavailableError('state store: write failed (SQLITE_IOERR)');
      };
      await handleOne(i);
      assert.equal(sends, 1);

      // The row's lease and the claim (49 s) run out; the row comes back.
      w.clock += 60_000;
      await handleOne(i);
      assert.equal(sends, 1, 'the card was sent once');
      const delivery = await ledger.get(deliveryIdOf('run-1', CHANNEL));
      assert.equal(delivery?.state, 'deadLetter');
      assert.match(delivery?.reason ?? '', what.includes('500') ? /may or may not have been posted/ : /message id/);
      assert.equal(await i.state.outbox.size(), 0, 'the row is done');
    });
  }
});
