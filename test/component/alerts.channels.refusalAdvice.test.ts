// A channel that refuses a category event's card while other channels took it: the event is
// `partial` (README, GET /api/notifications/{eventId}), and the refused channel's reason must not
// tell the caller to post the event again under a new eventId, which would post a second card in
// every channel that already has it (a category event goes to each subscribed channel). Only an
// event sent to one recipient says so (undeliverableAdvice.test.ts). Teams' refusals by the
// conversation:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
// Through the real handler (TestAdapter, simulated tenant, SQLite).

import { strict as assert } from 'node:assert';
import { AlertsRig, CH_A, CH_B } from './alertsRig';
import { refusedChannelSession } from './channelRefusals';

describe('channel alerts: the reason of a channel that refused a category event', () => {
  const { session, owner, install, refuseIn, statesOf } = refusedChannelSession();
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
  });

  for (const [status, code, why] of [
    [403, 'BotNotInConversationRoster', /removed there or the recipient uninstalled it/],
    [403, 'BotDisabledByAdmin', /administrator blocked Governance Bot/],
    [404, 'ConversationNotFound', /removed there or the recipient uninstalled it/],
  ] as const) {
    it(`${status} ${code}, the other channel delivered: says why, never to post it under a new eventId`, async () => {
      await install();
      await a.say(owner(), CH_A, 'alerts on role-requests');
      await a.say(owner(), CH_B, 'alerts on role-requests');
      refuseIn(CH_A, status, code);
      await a.announceRoleRequest('ev-partial');
      assert.deepEqual(await statesOf('ev-partial'), { [CH_A]: 'deadLetter', [CH_B]: 'delivered' });
      const refused = ((await a.alerts.channels('ev-partial')) ?? []).find((c) => c.channelId === CH_A);
      assert.match(refused?.reason ?? '', why, refused?.reason);
      assert.doesNotMatch(refused?.reason ?? '', /new eventId|not sent again/, refused?.reason);
    });
  }
});
