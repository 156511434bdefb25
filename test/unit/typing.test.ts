// The typing indicator shows only when Graph is slow: a turn answered quickly sends its reply
// alone (one connector call), a slow one shows typing and renews it until the answer is ready.
// Time is a FakeClock, so nothing here depends on how fast the machine is.
// A client shows a typing activity for about three seconds (Bot Framework Activity spec, Typing
// activity, A6000/A6001), hence the renewal:
// https://github.com/microsoft/botframework-sdk/blob/main/specs/botframework-activity/botframework-activity.md#typing-activity

import { strict as assert } from 'node:assert';
import type { TurnContext } from 'botbuilder';
import pino from 'pino';
import { withTyping } from '../../src/bot/replies';
import { FakeClock, settle } from '../component/fakeClock';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Just enough of a TurnContext: records the activity types it was asked to send. */
function fakeTurn(fail = false): { ctx: TurnContext; sent: string[] } {
  const sent: string[] = [];
  const ctx = {
    sendActivity: async (a: { type: string }) => {
      sent.push(a.type);
      if (fail) throw new Error('connector refused');
      return { id: `a-${sent.length}` };
    },
  } as unknown as TurnContext;
  return { ctx, sent };
}

const logger = pino({ level: 'silent' });

describe('typing indicator', () => {
  it('sends nothing when the work finishes before the threshold', async () => {
    const clock = new FakeClock();
    const { ctx, sent } = fakeTurn();
    const work = deferred<string>();
    const running = withTyping(ctx, { afterMs: 400, everyMs: 3000, clock }, logger, () => work.promise);
    await clock.advance(399);
    work.resolve('done');
    assert.equal(await running, 'done');
    await clock.advance(10_000);
    assert.deepEqual(sent, [], 'a fast turn makes no typing call');
  });

  it('shows typing once the work is slow, renews it, and stops when the work ends', async () => {
    const clock = new FakeClock();
    const { ctx, sent } = fakeTurn();
    const work = deferred<number>();
    const running = withTyping(ctx, { afterMs: 400, everyMs: 3000, clock }, logger, () => work.promise);
    await clock.advance(400);
    assert.deepEqual(sent, ['typing'], 'typing shows at the threshold');
    await clock.advance(2999);
    assert.equal(sent.length, 1);
    await clock.advance(1);
    assert.deepEqual(sent, ['typing', 'typing'], 'renewed every everyMs');
    work.resolve(7);
    assert.equal(await running, 7);
    await clock.advance(60_000);
    await settle();
    assert.equal(sent.length, 2, 'nothing is sent after the work ended');
  });

  it('a typing call that fails never fails the work', async () => {
    const clock = new FakeClock();
    const { ctx, sent } = fakeTurn(true);
    const work = deferred<string>();
    const running = withTyping(ctx, { afterMs: 400, everyMs: 3000, clock }, logger, () => work.promise);
    await clock.advance(400);
    work.resolve('still done');
    assert.equal(await running, 'still done');
    assert.deepEqual(sent, ['typing']);
  });

  it('passes on the work failure after stopping the indicator', async () => {
    const clock = new FakeClock();
    const { ctx, sent } = fakeTurn();
    const running = withTyping(ctx, { afterMs: 400, everyMs: 3000, clock }, logger, () =>
      Promise.reject(new Error('graph down')),
    );
    await assert.rejects(running, /graph down/);
    await clock.advance(10_000);
    assert.deepEqual(sent, []);
  });

  // A typing indicator is best effort; one the connector holds (a 429 waited out, a slow answer)
  // must not hold back the reply it announces:
  // https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
  it('returns when the work ends, without waiting for an indicator still in flight', async () => {
    const clock = new FakeClock();
    const held = deferred<void>();
    const sent: string[] = [];
    const ctx = {
      sendActivity: async (a: { type: string }) => {
        sent.push(a.type);
        await held.promise; // the connector has not answered yet
        throw new Error('429 Too Many Requests');
      },
    } as unknown as TurnContext;
    const work = deferred<string>();
    const running = withTyping(ctx, { afterMs: 400, everyMs: 3000, clock }, logger, () => work.promise);
    await clock.advance(400);
    assert.deepEqual(sent, ['typing']);
    work.resolve('the answer');
    let bound: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      running,
      new Promise<string>((r) => (bound = setTimeout(() => r('held back'), 1000))),
    ]);
    clearTimeout(bound);
    assert.equal(outcome, 'the answer', 'the reply is not held back by the indicator');
    held.resolve();
    await settle();
    assert.deepEqual(sent, ['typing'], 'and no indicator after the work ended');
  });
});
