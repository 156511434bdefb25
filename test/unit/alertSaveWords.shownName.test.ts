// The settings card a Save leaves in a channel says who saved, with the name Teams gave
// (activity.from.name: ChannelAccount.name, "Display friendly name":
// https://learn.microsoft.com/en-us/javascript/api/botframework-schema/channelaccount), for every
// member to read. A bidirectional override there would make the card read otherwise than it is
// ("Trojan Source", CVE-2021-42574) and a control character shows as a box: the name is shown as
// the other names from the directory are (domain/shownNames.ts), without them.

import { strict as assert } from 'node:assert';
import { saveWords } from '../../src/bot/alertSaveWords';

describe("alert settings: the saver's name as Teams gave it", () => {
  const wanted = { categories: [], digest: false };
  const change = [{ category: 'digest', on: true, changed: true }] as never;

  it('a bidirectional override or a control character in it is left out', () => {
    const { text } = saveWords('General', wanted, change, 'Megan\u202E Bowen\u0007');
    assert.equal(text, 'Megan Bowen saved the alert settings of General: turned on Daily digest.');
  });

  it('a name of only such characters is no name', () => {
    const { text } = saveWords('General', wanted, change, '\u202E\u2066');
    assert.equal(text, 'Saved the alert settings of General: turned on Daily digest.');
  });
});
