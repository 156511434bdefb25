// The answer to `alerts on|off <category>` names the category as the settings card and the README
// do: "PIM role requests", never "pim role requests" (the category's name was lower-cased whole to
// sit inside the sentence, acronym included).

import { strict as assert } from 'node:assert';
import { AlertsRig, CH_A } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';

describe('channel alerts: the category named in the answer', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;
  let a: AlertsRig;
  // The session's beforeEach, registered first, has made this test's rig by now.
  beforeEach(() => {
    ({ a } = session);
  });

  it('keeps the acronym of "PIM role requests" and "PIM group requests" in the sentence', async () => {
    await install();
    const on = cardsOf((await a.say(owner(), CH_A, 'alerts on role-requests')).sent);
    assert.match(on, /This channel now hears PIM role requests\./);
    const off = cardsOf((await a.say(owner(), CH_A, 'alerts off groups')).sent);
    assert.match(off, /PIM group requests: off in this channel/);
    const offAgain = cardsOf((await a.say(owner(), CH_A, 'alerts on groups')).sent);
    assert.match(offAgain, /This channel now hears PIM group requests\./);
    const none = cardsOf((await a.say(owner(), CH_A, 'alerts off groups')).sent);
    assert.match(none, /This channel no longer hears PIM group requests\./);
    assert.doesNotMatch(on + offAgain + none, /pim (role|group) requests/);
  });

  it('still writes other categories in lower case inside the sentence', async () => {
    await install();
    const on = cardsOf((await a.say(owner(), CH_A, 'alerts on actions')).sent);
    assert.match(on, /This channel now hears actions taken through the bot\./);
  });
});
