// The alert worker over SQLite with an injected clock, throttled by Teams: a 429 holds the thread
// until its Retry-After (or, without one, for the backoff) and the delivery is retried; after the
// last attempt it is dead-lettered with the reason the status reports.
// Teams' 429 and Retry-After: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit

import { strict as assert } from 'node:assert';
import { SendCard } from '../../src/notifications/delivery';
import { CHANNELS, actor, alertsWorkerSession, card } from './alertsWorkerSession';

describe('alerts: the worker over the outbox, throttled by Teams (429)', () => {
  const { w, instance, subscribeAll, work } = alertsWorkerSession();

  it('a 429 holds the thread until Retry-After; after the last attempt the delivery is dead-lettered with its reason', async () => {
    let calls = 0;
    const throttled: SendCard = async () => {
      calls++;
      throw Object.assign(new Error('Too many requests'), {
        statusCode: 429,
        response: { headers: { 'retry-after': '3' } },
      });
    };
    const i = instance('instance-1', throttled, 2);
    await subscribeAll(i.alerts);
    await i.alerts.subscriptions.forgetChannel(CHANNELS[1]!, actor);
    await i.alerts.subscriptions.forgetChannel(CHANNELS[2]!, actor);
    await i.alerts.subscriptions.forgetChannel(CHANNELS[3]!, actor);
    await i.alerts.store.publish({ eventId: 'run-2', category: 'workflowRuns', card });
    await work(i);
    assert.equal(calls, 1);
    assert.ok(
      (await i.alerts.scheduler.peek('tenant-1', CHANNELS[0]!)) >= w.clock + 3_000,
      'nothing is scheduled in the thread before Retry-After',
    );
    const waiting = await i.alerts.channels('run-2');
    assert.deepEqual(
      waiting?.map((r) => [r.state, r.attempts]),
      [['queued', 1]],
    );
    w.clock += 3_000;
    await work(i);
    assert.equal(calls, 2);
    const report = await i.alerts.channels('run-2');
    assert.equal(report?.[0]?.state, 'deadLetter');
    assert.match(report?.[0]?.reason ?? '', /did not accept the card after 2 attempts \(last: 429\)/);
    assert.equal(await i.state.outbox.size(), 0);
  });

  // Teams' retry guidance for 429: "Retry using Retry-After header to determine the wait time ...
  // if available. Otherwise, retry using exponential backoff with thread ID, if possible."
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
  it('a 429 without Retry-After holds the thread for the backoff, so the next alert there waits too', async () => {
    const sent: string[] = [];
    let throttle = true;
    const send: SendCard = async (reference) => {
      sent.push(reference.conversation?.id ?? '');
      if (throttle) {
        throttle = false;
        throw Object.assign(new Error('Too many requests'), { statusCode: 429, response: { headers: {} } });
      }
      return `a${sent.length}`;
    };
    // A backoff longer than the worker waits in process: the held rows wait in the outbox.
    const i = w.instance('instance-1', { send, backoffMs: 10_000 });
    await subscribeAll(i.alerts);
    for (const channelId of CHANNELS.slice(1)) await i.alerts.subscriptions.forgetChannel(channelId, actor);
    await i.alerts.store.publish({ eventId: 'run-6', category: 'workflowRuns', card });
    assert.equal(await work(i, 2), 2, 'the fan-out row, then the throttled send');
    assert.ok(
      (await i.alerts.scheduler.peek('tenant-1', CHANNELS[0]!)) >= w.clock + 10_000,
      'nothing is scheduled in the thread before the backoff has passed',
    );
    // Another alert for the same channel, queued meanwhile, is not sent into the throttle.
    await i.alerts.store.publish({ eventId: 'run-7', category: 'workflowRuns', card });
    await work(i);
    assert.deepEqual(sent, [CHANNELS[0]], 'one send only: the thread is held');
    w.clock += 10_000;
    await work(i);
    assert.deepEqual(sent, [CHANNELS[0], CHANNELS[0], CHANNELS[0]], 'both alerts go once the backoff has passed');
    assert.deepEqual(
      [...((await i.alerts.channels('run-6')) ?? []), ...((await i.alerts.channels('run-7')) ?? [])].map(
        (r) => r.state,
      ),
      ['delivered', 'delivered'],
    );
  });

  // The hold is pacing, not the send's outcome: a store that refuses it must not keep the throttled
  // send from being recorded for its retry (before, the hold's error skipped the retry's record).
  it("a 429 whose thread hold cannot be written still records the delivery's retry", async () => {
    const send: SendCard = async () => {
      throw Object.assign(new Error('Too many requests'), { statusCode: 429, response: { headers: {} } });
    };
    const i = w.instance('instance-1', { send, backoffMs: 10_000 });
    i.alerts.scheduler.hold = async () => {
      throw new Error('the state store refused the write');
    };
    await subscribeAll(i.alerts);
    for (const channelId of CHANNELS.slice(1)) await i.alerts.subscriptions.forgetChannel(channelId, actor);
    await i.alerts.store.publish({ eventId: 'run-8', category: 'workflowRuns', card });
    await work(i, 2);
    assert.deepEqual(
      (await i.alerts.channels('run-8'))?.map((r) => [r.state, r.attempts]),
      [['queued', 1]],
    );
  });
});
