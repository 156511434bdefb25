// The revision of a channel's settings (settingsRevision.ts) orders the settings cards made from
// them: a card made from a higher revision shows newer settings, and an edit of the card recorded
// from a lower one does not replace it (bot/sharedCardEdits.ts). It must rise with every change the
// card shows, on any instance, and a channel forgotten (its record deleted: the bot removed from the
// team) and saved again must not start below the cards made before, which a card's edit log keeps
// for a day. An edit replaces the whole card for everyone
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AlertSubscriptions } from '../../src/alerts/subscriptions';
import { SqliteState } from '../../src/state/sqlite';

const REF = { teamId: '19:team-rev@thread.tacv2', channelId: '19:ch-rev@thread.tacv2' };
const actor = { userId: '11111111-1111-4111-8111-111111111111', correlationId: 'c' };

describe('the revision of a channel’s alert settings', () => {
  let dir: string;
  let states: SqliteState[];
  let now = 1_000_000;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-rev-'));
    states = [0, 1].map(() => new SqliteState(path.join(dir, 'state.db')));
  });
  afterEach(async () => {
    for (const s of states) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rises with each change on either instance, and stays above the forgotten record’s', async () => {
    const [a, b] = states.map((s) => new AlertSubscriptions(s.records, () => now)) as [
      AlertSubscriptions,
      AlertSubscriptions,
    ];
    assert.equal((await a.revised(REF.channelId)).revision, 0, 'no record yet');
    await a.replaceAll(REF, ['roleRequests'], false, actor);
    const one = (await b.revised(REF.channelId)).revision;
    await b.replaceAll(REF, ['actions'], true, actor);
    const two = await a.revised(REF.channelId);
    assert.ok(two.revision > one, `${two.revision} > ${one}`);
    assert.deepEqual(two.settings?.categories, ['actions']);

    // Many more changes, then the channel forgotten and saved again a second later.
    for (let i = 0; i < 50; i++) await a.replaceAll(REF, i % 2 ? ['actions'] : [], false, actor);
    const before = (await a.revised(REF.channelId)).revision;
    await b.forgetChannel(REF.channelId, actor);
    now += 1_000;
    await b.replaceAll(REF, ['roleRequests'], false, actor);
    const again = (await a.revised(REF.channelId)).revision;
    assert.ok(again > before, `saved again after it was forgotten: ${again} > ${before}`);
  });
});
