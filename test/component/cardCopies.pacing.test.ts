// When a click decides an item, the bot edits every other copy of its card (up to 200: one per
// channel and personal chat it was posted in). Teams counts each update against the bot's limits
// like a send: per bot per thread 7 per second, 8 per 2 s, 60 per 30 s, 1,800 per hour, and per
// app per tenant 30 requests per second ("All requests are subject to the same rate limiting
// policy": https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit).
// The updates go to the fake Bot Connector that enforces those limits (teamsLimitsConnector.ts),
// on a fake clock: none is refused, the edits a person waits for (a click's own card) still find
// room meanwhile, and copies beyond the click's time are left (logged once, with their count) for
// the next edit of each, which shows the newest card recorded. An instance that stops gives up the
// copies still waiting for their moment the same way, before its store closes.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { ConversationReference, TurnContext } from 'botbuilder';
import { ItemCopies } from '../../src/alerts/itemCopies';
import { COPY_BUDGET_MS, CopyPacing } from '../../src/bot/copyPacing';
import { itemCard } from '../../src/bot/replyCards';
import { SharedCardEdits } from '../../src/bot/sharedCardEdits';
import { CardCopyUpdates, Proactive } from '../../src/bot/teamsEdge';
import { Target } from '../../src/domain/operations';
import { createLogger } from '../../src/log';
import { sharedSendScheduler } from '../../src/notifications/sendSpacing';
import { CardEditLog } from '../../src/state/cardEditLog';
import { SqliteState } from '../../src/state/sqlite';
import { ConnectorUpdates } from '../fixtures/connectorUpdates';
import { LimitsConnector, startLimitsConnector } from '../fixtures/teamsLimitsConnector';
import { FakeClock, settle } from './fakeClock';

const TENANT = '5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70';
const TARGET: Target = {
  operation: 'cancelRoleRequest',
  ids: { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e' },
};
const ITEM = { operation: TARGET.operation, ids: TARGET.ids };
const SETTLED = itemCard(TARGET, { text: 'Cancelled by Megan Bowen.', settled: true });
const WAITING = itemCard(TARGET, { text: 'Waiting for approval.', settled: false });

describe('copies of a clicked card: their edits under the Teams rate limits', () => {
  let dir = '';
  let clock: FakeClock;
  let state: SqliteState;
  let connector: LimitsConnector;
  let adapter: ConnectorUpdates;
  let copies: CardCopyUpdates;
  let editLog: CardEditLog<typeof SETTLED>;
  let logs: Array<Record<string, unknown>>;

  const reference = (channelId: string): Partial<ConversationReference> => ({
    serviceUrl: connector.serviceUrl,
    channelId: 'msteams',
    conversation: { id: channelId, conversationType: 'channel', isGroup: true, tenantId: TENANT, name: '' },
  });
  /** A turn in the conversation `reference` names, whose updates reach the limits connector. */
  const proactive: Proactive = async (ref, logic) =>
    logic(new TurnContext(adapter, TurnContext.applyConversationReference({ type: 'event' }, ref, true)));
  const logger = () =>
    createLogger({
      level: 'info',
      destination: new Writable({
        write: (chunk: Buffer, _e, cb) => {
          logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
          cb();
        },
      }),
    });

  /** The copy updates as appOutbound.ts builds them, over `log`: paced by the scheduler the
   * delivery worker's sends use. */
  const copyUpdates = (log: CardEditLog<typeof SETTLED>) =>
    new CardCopyUpdates({
      copies: new ItemCopies(state.records),
      channelReference: async (channelId) => reference(channelId),
      proactive,
      editLog: log,
      logger: logger(),
      servedTenant: TENANT,
      pacing: new CopyPacing({
        scheduler: sharedSendScheduler(state.records, () => clock.now()),
        tenantId: TENANT,
        clock,
      }),
    });

  beforeEach(async () => {
    logs = [];
    clock = new FakeClock();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-copies-pacing-'));
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock.now() });
    connector = await startLimitsConnector({ now: () => clock.now() });
    adapter = new ConnectorUpdates(connector);
    editLog = new CardEditLog(state.records);
    copies = copyUpdates(editLog);
  });
  afterEach(async () => {
    await connector.close();
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `work` to its end, moving the clock only while no update is on its way to Teams. */
  async function drive(work: Promise<unknown>, each: () => Promise<void> = async () => undefined): Promise<void> {
    let done = false;
    void work.finally(() => (done = true));
    for (let steps = 0; !done; steps++) {
      assert.ok(steps < 20_000, 'the copies were still being edited after 100 s of clock time');
      await settle();
      while (adapter.inFlight.size > 0) {
        await Promise.allSettled([...adapter.inFlight]);
        await settle();
      }
      await each();
      if (!done) await clock.advance(5);
    }
    await work;
  }

  /** The item's card was posted as activity `i` in thread `threadOf(i)`, for i in 0..count-1. */
  async function posted(count: number, threadOf: (i: number) => string): Promise<void> {
    const itemCopies = new ItemCopies(state.records);
    for (let i = 0; i < count; i++) {
      const channelId = threadOf(i);
      await itemCopies.add(ITEM, { conversationId: `${channelId};messageid=${i}`, activityId: `${i}`, channelId });
    }
  }

  const updates = () => connector.accepted.filter((a) => a.kind === 'update');

  it('200 copies in as many channels are all edited, none refused, while a click’s own edit finds room', async () => {
    await posted(200, (i) => `19:ops-${i}@thread.tacv2`);
    const start = clock.now();
    copies.changed(TARGET, SETTLED, true, { conversationId: '19:ops-0@thread.tacv2;messageid=0', activityId: '0' });
    // Meanwhile people click other cards: each such click's own edit is not scheduled (the
    // clicker's conversation waits for it), one every 100 ms.
    const own: number[] = [];
    let nextOwn = start;
    await drive(copies.idle(), async () => {
      if (clock.now() < nextOwn || clock.now() - start > 5_000) return;
      nextOwn += 100;
      const thread = `19:elsewhere-${own.length}@thread.tacv2`;
      const res = await fetch(
        `${connector.url}/v3/conversations/${encodeURIComponent(`${thread};messageid=7`)}/activities/7`,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'message', conversation: { id: thread, tenantId: TENANT } }),
        },
      );
      own.push(res.status);
    });

    assert.deepEqual(connector.throttles, [], 'no request was refused with 429');
    const edited = updates().filter((a) => !a.threadId.startsWith('19:elsewhere-'));
    assert.equal(edited.length, 199, 'every copy but the clicked one was edited once');
    assert.equal(new Set(edited.map((a) => a.activityId)).size, 199);
    assert.ok(!edited.some((a) => a.activityId === '0'), 'the clicked card is not edited as a copy');
    assert.ok(own.length >= 40 && own.every((s) => s === 200), `every own edit was taken at once: ${own.join(',')}`);
    // 30 per second per tenant, counting the own edits: 199 copies need more than 6.6 s.
    const last = Math.max(...edited.map((a) => a.at));
    assert.ok(last - start > 6_600 && last - start <= COPY_BUDGET_MS, `the copies took ${last - start} ms`);
    assert.ok(!logs.some((l) => l.event === 'alerts.copies.overBudget'), 'no copy was left');
  });

  it('copies beyond the click’s time are left, logged once with their count, and the next edit of one shows the newest card', async () => {
    // 120 copies in threads of one channel: Teams counts them in one thread's windows (60 per 30 s).
    const channel = '19:ops-busy@thread.tacv2';
    await posted(120, () => channel);
    const start = clock.now();
    copies.changed(TARGET, SETTLED, true, { conversationId: 'a:personal-clicker', activityId: 'clicked' });
    await drive(copies.idle());

    assert.deepEqual(connector.throttles, [], 'no request was refused with 429');
    const edited = updates();
    assert.ok(edited.length >= 50 && edited.length < 60, `a thread's 30 s share was used: ${edited.length}`);
    assert.ok(
      edited.every((a) => a.at - start <= COPY_BUDGET_MS),
      'no copy was edited after the click’s time',
    );
    const left = logs.filter((l) => l.event === 'alerts.copies.overBudget');
    assert.equal(left.length, 1, `logged once: ${JSON.stringify(left)}`);
    assert.equal(left[0]?.count, 120 - edited.length, 'with the count of copies left');
    assert.ok(!logs.some((l) => l.event === 'alerts.copies.failed'), 'no copy logged one by one');

    // A copy left: its newest card (settled) is recorded, not shown. Its next edit (here an older
    // stage's, from another instance) sends the newest card all the same.
    const leftOne = [...Array(120).keys()].map(String).find((id) => !edited.some((a) => a.activityId === id));
    assert.ok(leftOne);
    await clock.advance(60_000);
    const ref = reference(`${channel};messageid=${leftOne}`);
    new SharedCardEdits(editLog, logger()).request(proactive, ref, leftOne, { reply: WAITING, final: false });
    await drive(connector.waitForAccepted(edited.length + 1));
    const last = updates().at(-1);
    assert.equal(last?.activityId, leftOne);
    assert.equal(JSON.stringify(last?.activity.attachments), JSON.stringify([SETTLED.attachment]));
  });

  it('copies still waiting when the instance stops are not sent, logged once with their count, and the next edit of one shows the newest card', async () => {
    // 40 copies in one thread: all have a moment within the click's time (a thread takes 60 per
    // 30 s), the later ones up to 30 s away.
    const channel = '19:ops-busy@thread.tacv2';
    await posted(40, () => channel);
    copies.changed(TARGET, SETTLED, true, { conversationId: 'a:personal-clicker', activityId: 'clicked' });
    await drive(connector.waitForAccepted(7));
    // Shutdown stops the pacing, then waits for the copies (src/shutdown.ts, src/app.ts).
    copies.stop();
    const stoppedAt = clock.now();
    await drive(copies.idle());
    const edited = updates();
    assert.ok(edited.length >= 7 && edited.length < 40, `some copies were edited before the stop: ${edited.length}`);
    assert.ok(
      edited.every((a) => a.at <= stoppedAt),
      'no copy was sent after the stop',
    );
    // The store closes; a copy that still waited would wake now, and fail against it.
    await state.close();
    await clock.advance(60_000);
    await settle();
    assert.equal(updates().length, edited.length, 'nothing was sent once the store closed');
    assert.ok(!logs.some((l) => l.event === 'alerts.copies.failed'), 'no copy logged as a failure');
    assert.ok(!logs.some((l) => l.event === 'alerts.copies.overBudget'), 'none counted as over the click’s time');
    const stopped = logs.filter((l) => l.event === 'alerts.copies.stopped');
    assert.equal(stopped.length, 1, `logged once: ${JSON.stringify(stopped)}`);
    assert.equal(stopped[0]?.count, 40 - edited.length, 'with the count of copies not sent');

    // Another instance (the same store, opened again) edits a copy left: its next edit, an older
    // stage's, sends the newest card recorded, the settled one.
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock.now() });
    const leftOne = [...Array(40).keys()].map(String).find((id) => !edited.some((a) => a.activityId === id));
    assert.ok(leftOne);
    const ref = reference(`${channel};messageid=${leftOne}`);
    new SharedCardEdits(new CardEditLog(state.records), logger()).request(proactive, ref, leftOne, {
      reply: WAITING,
      final: false,
    });
    await drive(connector.waitForAccepted(edited.length + 1));
    const last = updates().at(-1);
    assert.equal(last?.activityId, leftOne);
    assert.equal(JSON.stringify(last?.activity.attachments), JSON.stringify([SETTLED.attachment]));
  });
  it('a click decided while the instance stops: its copies are not sent, and their newest card is recorded before the copies are idle', async () => {
    // Shutdown stops the pacing first, then waits for the turns under way (a click among them) and
    // the copies' work, and then closes the store (src/shutdown.ts): the newest card of each copy
    // must be recorded by then, or the copy's next edit has nothing newer to show. On Azure Storage
    // a write of the edit log takes a round trip: here each write lands 20 ms after it is asked for.
    await posted(3, (i) => `19:ops-${i}@thread.tacv2`);
    const records = state.records;
    const later = <R>(write: () => Promise<R>): Promise<R> => new Promise((r) => setTimeout(r, 20)).then(write);
    const slowLog = new CardEditLog<typeof SETTLED>({
      get: (k) => records.get(k),
      create: (k, v, e) => later(() => records.create(k, v, e)),
      put: (k, v, e) => later(() => records.put(k, v, e)),
      replace: (k, v, ver, e) => later(() => records.replace(k, v, ver, e)),
      delete: (k, v) => later(() => records.delete(k, v)),
    });
    const stopping = copyUpdates(slowLog);
    stopping.stop();
    stopping.changed(TARGET, SETTLED, true, { conversationId: 'a:personal-clicker', activityId: 'clicked' });
    await stopping.idle();

    // What shutdown does next is close the store.
    for (let i = 0; i < 3; i++) {
      const newest = await editLog.newest(`19:ops-${i}@thread.tacv2;messageid=${i}`, `${i}`);
      assert.equal(JSON.stringify(newest?.card), JSON.stringify(SETTLED), `copy ${i}: its newest card is recorded`);
    }
    assert.equal(updates().length, 0, 'no copy was sent');
    const stopped = logs.filter((l) => l.event === 'alerts.copies.stopped');
    assert.equal(stopped[0]?.count, 3);
  });
});
