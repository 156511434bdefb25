// A direct notification to a channel the bot has not seen (created since its team's channels were
// last listed) is found by reading the known teams' channel lists from Teams (README: "A
// `channelId` target may name any channel of a team the bot is in"). A listing Teams answered with
// a failure it marks for retry (429, 502, 503, 504, or no answer:
// https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis)
// says nothing about the channel: the event was settled undeliverable "Governance Bot is not
// installed in the team of this channel", for good, and every event to that channel within the
// next 10 minutes too, without a look. Now the pass fails (logged), the row comes back after its
// lease, and the listing is read again then. A team that refuses the bot (403) still counts as
// not having the channel.

import { strict as assert } from 'node:assert';
import { createAlerts } from '../../src/notifications/alertsSetup';
import { CardBindings } from '../../src/state/cardBindings';
import { parseEvent } from '../../src/notifications/events';
import { connector, deliverySession, handleNextRow, teamsError } from '../fixtures/deliverySession';
import { createLogger } from '../../src/log';

const TENANT = 't';
const TEAM = '19:team@thread.tacv2';
const NEW_CHANNEL = '19:new-channel@thread.tacv2';
const LEASE_MS = 60_000;

function channelEvent(eventId: string) {
  const parsed = parseEvent({
    eventId,
    kind: 'roleRequest',
    target: { channelId: NEW_CHANNEL },
    requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
  });
  assert.ok(parsed.ok);
  return parsed.event;
}

describe("notification delivery to a channel not seen yet, when Teams cannot list its team's channels", () => {
  const session = deliverySession();

  async function rig(listings: Array<Error | null>) {
    const { send, sent } = connector();
    let listed = 0;
    const a = await session.instance(send, (state) => {
      const alerts = createAlerts({
        state,
        bindings: new CardBindings(state.records),
        send,
        logger: createLogger({ level: 'silent' }),
        owner: 'instance-1',
        tenantId: TENANT,
        servedTenant: null,
        now: () => Date.now() + session.offset,
        listTeamChannels: async () => {
          const failure = listings[listed++];
          if (failure) throw failure;
          return [
            { id: TEAM, name: 'General' },
            { id: NEW_CHANNEL, name: 'New' },
          ];
        },
      });
      void alerts.reach.rememberTeam(TEAM, {
        serviceUrl: 'https://smba.test/',
        channelId: 'msteams',
        bot: { id: '28:bot' },
        conversation: { id: TEAM, tenantId: TENANT },
      });
      return { channelReference: alerts.channelReference, leaseMs: LEASE_MS };
    });
    await new Promise((r) => setTimeout(r, 20)); // the team remembered
    return { a, sent, listings: () => listed };
  }

  for (const [what, failure] of [
    ['503', teamsError(503)],
    ['429', teamsError(429, '1')],
    ['no answer', new Error('the call took too long')],
  ] as const) {
    it(`does not settle the event undeliverable on a listing that failed (${what}); the next pass finds the channel`, async () => {
      const { a, sent } = await rig([failure]);
      await a.store.accept(channelEvent('e1'));
      await handleNextRow(a, LEASE_MS);
      const after = await a.store.get('e1');
      assert.equal(after?.state, 'queued', after?.reason);
      assert.deepEqual(sent, []);
      session.offset += LEASE_MS + 1;
      await handleNextRow(a, LEASE_MS, false);
      assert.deepEqual(sent, [NEW_CHANNEL]);
      assert.equal((await a.store.get('e1'))?.state, 'delivered');
    });
  }

  it('still finds no channel in a team that refuses the bot (403)', async () => {
    const { a, sent } = await rig([teamsError(403, undefined, 'BotNotInConversationRoster')]);
    await a.store.accept(channelEvent('e1'));
    await handleNextRow(a, LEASE_MS, false);
    const after = await a.store.get('e1');
    assert.equal(after?.state, 'undeliverable');
    assert.match(after?.reason ?? '', /not installed in the team of this channel/);
    assert.deepEqual(sent, []);
  });
});
