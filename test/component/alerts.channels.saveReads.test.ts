// How often a settings Save reads the channel's settings record before it answers. A Save from a
// current card carries every toggle and what its card showed, so the "not saved" card of a Save not
// checked in time needs no stored settings: it read them anyway with every Save, while its
// permission was checked, besides the read inside the compare-and-swap and the card's.

import { strict as assert } from 'node:assert';
import { CH_A } from './alertsRig';
import { channelReadsSession } from './channelReadsSession';
import { pressedSave, sentCards, settingsCardIn } from './settingsPress';

describe("a settings Save's reads of the channel's settings", () => {
  const { session, counted } = channelReadsSession(CH_A);
  const { owner, install } = session;

  it("a current card's Save reads the record for its write and for the cards it leaves", async () => {
    const { a } = session;
    await install();
    const card = settingsCardIn(sentCards((await a.say(owner(), CH_A, 'alerts')).sent));
    counted.reads = 0;
    const saved = await a.rig.turn(a.saveClick(owner(), CH_A, 'settings-card-1', pressedSave(card, { actions: true })));
    assert.equal(saved.invoke?.status, 200);
    await a.rig.bot.idle();
    // Its compare-and-swap (which tells whether it resumed a suspended channel), the card it
    // answers with, and the card everyone sees, made as stored when its edit is sent
    // (alertSave.ts); no read for a "not saved" card it did not need.
    assert.equal(counted.reads, 3);
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['actions']);
  });
});
