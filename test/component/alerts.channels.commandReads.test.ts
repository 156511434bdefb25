// How often a typed `alerts on|off <category>` reads the channel's settings record before it
// answers. Whether it resumed a suspended channel, which its answer says, is told by its own
// compare-and-swap, as a settings Save's is (alerts.channels.saveReads.test.ts): a read of the
// record before the write could say so of a channel resumed or suspended meanwhile, and cost a read.

import { strict as assert } from 'node:assert';
import { suspensionOf } from '../../src/alerts/channelSuspension';
import { CH_A } from './alertsRig';
import { cardsOf } from './botRig';
import { channelReadsSession } from './channelReadsSession';

describe("a typed alerts on|off's reads of the channel's settings", () => {
  const { session, counted } = channelReadsSession(CH_A);
  const { owner, install } = session;

  it('reads the record in its compare-and-swap, not before it, whether the channel was suspended or not', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');

    counted.reads = 0;
    const on = cardsOf((await a.say(owner(), CH_A, 'alerts on actions')).sent);
    assert.match(on, /now hears actions taken through the bot/);
    assert.doesNotMatch(on, /resume/i);
    assert.equal(counted.reads, 1, 'its compare-and-swap only');

    const seen = (await a.alerts.subscriptions.standing(CH_A)).confirmations;
    await a.alerts.subscriptions.suspend(
      CH_A,
      suspensionOf({ status: 403, code: 'BotNotInConversationRoster' }, 0),
      seen,
    );
    counted.reads = 0;
    const off = cardsOf((await a.say(owner(), CH_A, 'alerts off actions')).sent);
    assert.match(off, /no longer hears actions taken through the bot/);
    assert.match(off, /alerts to this channel resume/i, 'told by the write that resumed it');
    // Its compare-and-swap, and the index's removal checking the record it wrote (subscriptionRecords.ts).
    assert.equal(counted.reads, 2);
    assert.equal((await a.alerts.subscriptions.get(CH_A))?.suspended, undefined, 'resumed');
  });
});
