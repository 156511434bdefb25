// The typing indicator shows only when Graph is slow: a turn answered quickly sends its reply
// alone (one connector call), a slow one shows typing and renews it until the answer is ready.
// Time is a FakeClock, so nothing here depends on how fast the machine is.
// A client shows a typing activity for about three seconds (Bot Framework Activity spec, Typing
// activity, A6000/A6001), hence the renewal:
// https://github.com/microsoft/botframework-sdk/blob/main/specs/botframework-activity/botframework-activity.md#typing-activity

import { strict as assert } from 'node:assert';
import type { TurnContext } from 'botbuilder';
import pino from 'pino';
import { TYPING_SETTLE_MS, withTyping } from '../../src/bot/replies';
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

  // A typing activity that reaches Teams after the reply shows "typing" for about 3 s after the
  // answer (Activity spec above), so the reply waits for an indicator still in flight; but only
  // up to TYPING_SETTLE_MS on the clock: one the connector holds (a 429, a slow answer) must not
  // hold back the reply it announces up to the connector's deadline:
  // https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
  describe('an indicator still in flight when the work ends', () => {
    /** A turn whose typing call is answered only when the test says so, rejecting as a 429 would. */
    function heldTurn(): { ctx: TurnContext; sent: string[]; answer: () => void } {
      const held = deferred<void>();
      const sent: string[] = [];
      const ctx = {
        sendActivity: async (a: { type: string }) => {
          sent.push(a.type);
          await held.promise; // the connector has not answered yet
          throw new Error('429 Too Many Requests');
        },
      } as unknown as TurnContext;
      return { ctx, sent, answer: () => held.resolve() };
    }

    /** Starts a turn whose work ends just after its first indicator went out. */
    async function endWithIndicatorInFlight(clock: FakeClock, ctx: TurnContext) {
      const work = deferred<string>();
      const running = withTyping(ctx, { afterMs: 400, everyMs: 3000, clock }, logger, () => work.promise);
      const state = { returned: false };
      void running.then(() => (state.returned = true));
      await clock.advance(400);
      work.resolve('the answer');
      await settle();
      return { running, state };
    }

    it('is waited for when it ends within the bound: the reply does not overtake it', async () => {
      const clock = new FakeClock();
      const { ctx, sent, answer } = heldTurn();
      const { running, state } = await endWithIndicatorInFlight(clock, ctx);
      assert.deepEqual(sent, ['typing']);
      assert.equal(state.returned, false, 'the reply waits for the indicator in flight');
      await clock.advance(TYPING_SETTLE_MS - 1);
      assert.equal(state.returned, false, 'still waiting within the bound');
      answer(); // the connector answers (here a refusal) within the bound
      await settle();
      assert.equal(state.returned, true, 'the reply goes out as soon as the indicator ended');
      assert.equal(await running, 'the answer');
      await clock.advance(60_000);
      assert.deepEqual(sent, ['typing'], 'and no indicator after the work ended');
    });

    it('is not waited for past the bound when it hangs', async () => {
      const clock = new FakeClock();
      const { ctx, sent, answer } = heldTurn();
      const { running, state } = await endWithIndicatorInFlight(clock, ctx);
      await clock.advance(TYPING_SETTLE_MS - 1);
      assert.equal(state.returned, false, 'the bound is waited for, not less');
      await clock.advance(1);
      assert.equal(state.returned, true, 'the reply goes out at the bound, the indicator still hanging');
      assert.equal(await running, 'the answer');
      answer();
      await clock.advance(60_000);
      assert.deepEqual(sent, ['typing'], 'and no indicator after the work ended');
    });
  });
});
