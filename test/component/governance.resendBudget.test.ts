// A write whose answer was lost (a 5xx) is read and, when it did not take effect, sent once more.
// That re-send is part of the same write: its waits on 429 come out of the write's 30 s, counted
// from the first send (contract §4: "On 429 the bot waits at least Retry-After, makes at most 5
// attempts within 30 s, then tells the user to try again later"). Graph asks a throttled client
// to wait Retry-After and then retry
// (https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling); the bot's
// promise bounds how long it keeps doing so. The re-send had a fresh 30 s of its own, so a write
// could still be sent past that second 30 s mark, and a re-send went out with no time left at all.

import { strict as assert } from 'node:assert';
import { ThrottledError, UpstreamError } from '../../src/domain/errors';
import { AuditLine, GovernanceService } from '../../src/domain/governance';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' } };
const actor = { aadObjectId: 'u1', getToken: () => Promise.resolve('not-a-jwt') };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const throttled = (seconds: number) => () =>
  json(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': String(seconds) });
const failed = () => json(503, { error: { code: 'serviceNotAvailable', message: 'busy' } });
const pending = () => json(200, { id: target.ids.requestId, status: 'PendingApproval' });
const done = () => new Response(null, { status: 204 });

/** Each answer comes after `takesMs` of the fake clock (100 ms unless given). */
function rig(answers: Array<{ answer: () => Response; takesMs?: number }>) {
  let clock = Date.parse('2026-11-29T12:00:00Z');
  const sent: Array<{ method: string; at: number }> = [];
  const lines: AuditLine[] = [];
  const now = () => clock;
  const sleep = async (ms: number) => {
    clock += ms;
  };
  const gateway = new GraphGateway({
    graphEndpoint: BASE,
    now,
    sleep,
    fetch: (_url, init) => {
      sent.push({ method: (init?.method ?? 'GET').toUpperCase(), at: clock });
      const next = answers.shift();
      clock += next?.takesMs ?? 100;
      return Promise.resolve((next?.answer ?? (() => new Response(null, { status: 500 })))());
    },
  });
  const service = new GovernanceService({
    cloud: 'global',
    graph: gateway,
    audit: (l) => lines.push(l),
    newId: () => 'c1',
    now,
    sleep,
  });
  return { service, sent, lines };
}

describe("the re-send after an unanswered write keeps to the write's 30 s", () => {
  it('a throttled re-send stops waiting at the 30 s counted from the first send: "try again later"', async () => {
    const { service, sent, lines } = rig([
      // The first write: throttled twice (10 s each), then a 503 at 20.3 s.
      { answer: throttled(10) },
      { answer: throttled(10) },
      { answer: failed },
      // The read: still pending, so the write is sent again at 20.4 s.
      { answer: pending },
      // The re-send, throttled: a 5 s wait from 20.5 s, then one from 25.6 s that ends past 30 s.
      { answer: throttled(5) },
      { answer: throttled(5) },
      { answer: done },
    ]);
    const outcome = await service.perform(target, actor);
    const first = sent[0]!.at;
    for (const s of sent) assert.ok(s.at - first < 30_000, `a ${s.method} sent ${s.at - first} ms after the first`);
    assert.ok(!outcome.ok, 'the third re-send attempt would have gone out at 30.6 s');
    assert.ok(outcome.error instanceof ThrottledError, outcome.error.constructor.name);
    assert.equal(lines[0]?.errorCode, 'THROTTLED');
    assert.deepEqual(
      sent.map((s) => s.method),
      ['POST', 'POST', 'POST', 'GET', 'POST', 'POST'],
    );
  });

  it('no time left after the read: nothing more is sent, and the first write stays "may or may not"', async () => {
    const { service, sent, lines } = rig([
      { answer: throttled(10) },
      { answer: throttled(10) },
      // The third attempt's 503 comes at 30.1 s, the read's answer after it.
      { answer: failed, takesMs: 9_900 },
      { answer: pending },
      { answer: done },
    ]);
    const outcome = await service.perform(target, actor);
    assert.ok(!outcome.ok);
    assert.deepEqual(
      sent.map((s) => s.method),
      ['POST', 'POST', 'POST', 'GET'],
    );
    assert.ok(outcome.error instanceof UpstreamError, outcome.error.constructor.name);
    assert.match(outcome.error.message, /may or may not have taken effect/);
    assert.equal(lines[0]?.errorCode, 'UPSTREAM');
    assert.equal(lines[0]?.graphStatus, 503);
  });

  it('a re-send with time left goes out as before', async () => {
    const { service, sent } = rig([
      { answer: failed },
      { answer: pending },
      { answer: throttled(2) },
      { answer: done },
    ]);
    assert.ok((await service.perform(target, actor)).ok);
    assert.deepEqual(
      sent.map((s) => s.method),
      ['POST', 'GET', 'POST', 'POST'],
    );
  });
});
