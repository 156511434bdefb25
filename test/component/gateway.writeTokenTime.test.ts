// A write's time is what is left of its operation's one deadline (a click's, a command's) when the
// gateway is asked; resolving the user's token (an on-behalf-of exchange can be slow) comes out of
// it. It was turned into a deadline only after the token came, so a slow token pushed the write's
// answer, and a 429's re-send (https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling:
// wait Retry-After, then retry), past the operation's end. With less than 1 s of it left, the write
// is not sent (domain/attempts.ts LEAST_ATTEMPT_MS).

import { strict as assert } from 'node:assert';
import { NO_TIME_TO_SEND, NotSentError } from '../../src/domain/errors';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' } };

function rig(tokenMs: number, answer: () => Response) {
  let clock = Date.parse('2026-11-29T12:00:00Z');
  const start = clock;
  const sent: number[] = [];
  const gateway = new GraphGateway({
    graphEndpoint: BASE,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    fetch: () => {
      sent.push(clock - start);
      return Promise.resolve(answer());
    },
  });
  const token = async () => {
    clock += tokenMs; // a slow on-behalf-of exchange
    return 'not-a-jwt';
  };
  return { gateway, token, sent, elapsed: () => clock - start };
}

describe('gateway: the time a token takes comes out of the write’s time', () => {
  it('10 s left, the token takes 9.5 s: the write is not sent, and the person is told so', async () => {
    const { gateway, token, sent } = rig(9_500, () => new Response(null, { status: 204 }));
    await assert.rejects(gateway.write(target, token, { budgetMs: 10_000 }), (e: unknown) => {
      assert.ok(e instanceof NotSentError, String(e));
      assert.equal(e.message, NO_TIME_TO_SEND);
      return true;
    });
    assert.deepEqual(sent, [], 'nothing sent');
  });

  it('10 s left, the token takes 5 s, a 429 asks 4.5 s: no retry that would end past the 10 s', async () => {
    const { gateway, token, sent, elapsed } = rig(
      5_000,
      () =>
        new Response(JSON.stringify({ error: { code: 'TooManyRequests' } }), {
          status: 429,
          headers: { 'retry-after': '4.5' },
        }),
    );
    await assert.rejects(gateway.write(target, token, { budgetMs: 10_000 }));
    assert.deepEqual(sent, [5_000], 'sent once, when the token came');
    assert.ok(elapsed() <= 10_000, `ended ${elapsed()} ms in`);
  });

  it('10 s left, the token takes 2 s, a 429 asks 3 s: the retry goes, within the 10 s', async () => {
    let n = 0;
    const { gateway, token, sent } = rig(2_000, () =>
      n++ === 0
        ? new Response(JSON.stringify({ error: { code: 'TooManyRequests' } }), {
            status: 429,
            headers: { 'retry-after': '3' },
          })
        : new Response(null, { status: 204 }),
    );
    await gateway.write(target, token, { budgetMs: 10_000 });
    assert.deepEqual(sent, [2_000, 5_000]);
  });

  it('a read given 10 s whose token takes 5 s: a 503 asking 4.5 s is not retried past the 10 s', async () => {
    // A read is retried after a 503 as after a 429
    // (https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors), within its time.
    const { gateway, token, sent, elapsed } = rig(
      5_000,
      () =>
        new Response(JSON.stringify({ error: { code: 'serviceNotAvailable' } }), {
          status: 503,
          headers: { 'retry-after': '4.5' },
        }),
    );
    await assert.rejects(gateway.getJson('cancelRoleRequest', 'v1.0', '/me', token, 10_000));
    assert.deepEqual(sent, [5_000]);
    assert.ok(elapsed() <= 10_000, `ended ${elapsed()} ms in`);
  });
});
