// The shared log of a card's edits for everyone, on two instances over one SQLite file: versions
// grow whoever records, the newest card is whoever recorded last, and a card that lost its buttons
// (settled) is never followed by one with buttons, even when the edit with buttons (an earlier
// stage's) is recorded after it, nor is a card made from newer state by one made from older state
// (ranked by the state's revision). The last update Teams takes is what everyone sees
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CardEditLog } from '../../src/state/cardEditLog';
import { SqliteState } from '../../src/state/sqlite';

const CHANNEL = '19:ops@thread.tacv2';
const CARD = '1700000000001';

describe('card edit log (two instances, one SQLite file)', () => {
  let dir: string;
  let states: SqliteState[];
  let a: CardEditLog<string>;
  let b: CardEditLog<string>;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-edits-'));
    states = [0, 1].map(() => new SqliteState(path.join(dir, 'state.db')));
    [a, b] = states.map((s) => new CardEditLog<string>(s.records)) as [CardEditLog<string>, CardEditLog<string>];
  });
  afterEach(async () => {
    for (const s of states) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('each edit takes the next version on either instance; the newest card is the one recorded last', async () => {
    assert.equal(await a.record(CHANNEL, CARD, 'stage one decided', false), 1);
    assert.equal(await b.record(CHANNEL, CARD, 'stage two decided', false), 2);
    const newest = await a.newest(CHANNEL, CARD);
    assert.deepEqual(newest, { version: 2, card: 'stage two decided', final: false, shown: 0 });
  });

  it('noting an update Teams took answers the record as it is now, newer edits included; a newer note stays', async () => {
    await a.record(CHANNEL, CARD, 'one', false);
    await b.record(CHANNEL, CARD, 'two', false);
    assert.equal((await b.shown(CHANNEL, CARD, 2))?.shown, 2);
    const after = await a.shown(CHANNEL, CARD, 1);
    assert.deepEqual(after, { version: 2, card: 'two', final: false, shown: 2 }, 'the older note does not lower it');
  });

  it('an edit with buttons recorded after the settled card does not replace it', async () => {
    assert.equal(await b.record(CHANNEL, CARD, 'settled', true), 1);
    assert.equal(await a.record(CHANNEL, CARD, 'stage one decided, buttons for stage two', false), 1);
    assert.deepEqual(await b.newest(CHANNEL, CARD), { version: 1, card: 'settled', final: true, shown: 0 });
  });

  it('a card made from an older revision, recorded after one made from a newer, does not replace it', async () => {
    // A list card is made from the list as kept when its edit is sent, ranked by the list's
    // revision: instance A made its card from revision 2, B from revision 3, and B recorded first.
    assert.equal(await b.record(CHANNEL, CARD, 'revision 3', false, 3), 1);
    assert.equal(await a.record(CHANNEL, CARD, 'revision 2', false, 2), 1, 'the newer card stays');
    assert.deepEqual(await a.newest(CHANNEL, CARD), {
      version: 1,
      card: 'revision 3',
      final: false,
      shown: 0,
      rank: 3,
    });
    assert.equal(await a.record(CHANNEL, CARD, 'revision 3, made later', false, 3), 2, 'the same revision made later');
    assert.equal(await b.record(CHANNEL, CARD, 'revision 4', false, 4), 3);
  });

  it('a click from the channel thread names the same card as the channel', async () => {
    await a.record(`${CHANNEL};messageid=${CARD}`, CARD, 'from the thread', false);
    assert.equal((await b.newest(CHANNEL, CARD))?.card, 'from the thread');
  });
});
