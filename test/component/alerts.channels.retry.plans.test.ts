// The daily try of a suspended channel around the fan-out's plan (channelSuspension.ts openTry and
// withdrawTry, fanout.ts): a try opened by a plan that is then thrown away is not spent; an event
// id that comes back opens a try of its own, not a second one; and the settings card promises no
// try to a channel that hears only the digest (never tried). SQLite state store.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { settingsCard } from '../../src/alerts/cards';
import type { AlertTopic } from '../../src/alerts/categories';
import { RETRY_EVERY_MS, suspensionOf, withdrawTry } from '../../src/alerts/channelSuspension';
import { Fanout } from '../../src/alerts/fanout';
import { channelKey } from '../../src/alerts/subscriptionRecords';
import { AlertSubscriptions } from '../../src/alerts/subscriptions';
import { SqliteState } from '../../src/state/sqlite';

const TEAM = '19:team@thread.tacv2';
const CH = { teamId: TEAM, channelId: '19:suspended@thread.tacv2' };
const owner = { userId: 'aad-owner', correlationId: 'c' };
const SINCE = 1_700_000_000_000;

describe('channel alerts: the daily try of a suspended channel and the fan-out plan', () => {
  let dir: string;
  let state: SqliteState;
  let subs: AlertSubscriptions;
  let clock: number;

  beforeEach(async () => {
    clock = SINCE;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-try-plan-'));
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
    subs = new AlertSubscriptions(state.records, () => clock);
    await subs.subscribe(CH, 'roleRequests', owner);
    const { confirmations } = await subs.standing(CH.channelId);
    await subs.suspend(CH.channelId, suspensionOf(403, SINCE), confirmations);
    assert.ok((await subs.get(CH.channelId))?.suspended, 'suspended');
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // As the app builds it (notifications/alertsSetup.ts): a try the kept plan leaves out is withdrawn.
  const fanout = (
    channelsFor: (t: AlertTopic, e: string) => Promise<readonly { teamId: string; channelId: string }[]>,
  ) =>
    new Fanout({
      records: state.records,
      channelsFor,
      notPlanned: async (eventId, ids) => {
        for (const id of ids) await withdrawTry(state.records, channelKey(id), eventId);
      },
      enqueue: async () => undefined,
      now: () => clock,
    });
  const planned = async (eventId: string) =>
    ((await fanout((t, e) => subs.channelsFor(t, e)).report(eventId)) ?? []).map((c) => c.channelId);

  it('a try opened by a plan that loses to a plan already written is not spent', async () => {
    // Two runs of the same fan-out row (a queue that may hand an id out twice, or a lease that
    // ended): the first plans just before the try is due and freezes a plan without the channel;
    // the second read "no plan yet" before that, and asks who hears the topic just after.
    const due = SINCE + RETRY_EVERY_MS;
    clock = due - 1;
    let firstDone!: () => void;
    const firstWritten = new Promise<void>((r) => (firstDone = r));
    const second = fanout(async (t, e) => {
      await firstWritten;
      clock = due + 1;
      return subs.channelsFor(t, e);
    }).fanOut({ eventId: 'ev-1', category: 'roleRequests' });
    await fanout((t, e) => subs.channelsFor(t, e)).fanOut({ eventId: 'ev-1', category: 'roleRequests' });
    firstDone();
    await second;

    const plan = await planned('ev-1');
    assert.ok(!plan.includes(CH.channelId), "the plan kept is the first run's, made before the try was due");
    // ev-1's frozen plan leaves the channel out, so nothing is posted there: the next alert must
    // still be the try, not a day later.
    await fanout((t, e) => subs.channelsFor(t, e)).fanOut({ eventId: 'ev-2', category: 'roleRequests' });
    assert.ok(
      (await planned('ev-2')).includes(CH.channelId),
      `no alert posted as the try; lastTry is ${JSON.stringify((await subs.get(CH.channelId))?.suspended?.lastTry)}`,
    );
  });

  it("an event id that comes back (a new acceptance) is not a second try beside the day's own", async () => {
    // The first try: ev-1, refused (the suspension stays as it is).
    clock = SINCE + RETRY_EVERY_MS;
    assert.deepEqual(
      (await subs.channelsFor('roleRequests', 'ev-1')).map((c) => c.channelId),
      [CH.channelId],
    );
    // Weeks later, with no alert for the category meanwhile, ev-1's id is posted again as a new
    // event and ev-2 arrives at the same moment: one try between them, not two.
    clock = SINCE + 40 * RETRY_EVERY_MS;
    const again = await subs.channelsFor('roleRequests', 'ev-1');
    const other = await subs.channelsFor('roleRequests', 'ev-2');
    assert.equal(again.length + other.length, 1, 'two tries opened at the same moment');
  });

  it('the settings card of a channel that hears only the digest promises no daily try', async () => {
    const suspended = suspensionOf(403, SINCE);
    const card = JSON.stringify(settingsCard('digest-only', { categories: [], digest: true, suspended }));
    // A digest is planned without a try (README): such a channel is never tried.
    assert.match(card, /suspended since/, 'the card says the channel is suspended');
    assert.doesNotMatch(card, /tries once a day/);
  });
});
