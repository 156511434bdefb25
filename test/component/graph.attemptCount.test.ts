// Contract §4: on 429 the bot "makes at most 5 attempts within 30 s". The count is of one logical
// call's sends, whatever path they take: a list read whose $batch item was answered 429 has made
// its first attempt in the batch, and a write re-sent after a 5xx (once a read showed it had not
// taken effect) is still the same write. A read was sent up to 6 times (its batch item, then 5
// alone), and a write up to 10 (5 before its 5xx, 5 more as its re-send).
// https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling
// https://learn.microsoft.com/graph/json-batching#handling-throttling-in-batches

import { strict as assert } from 'node:assert';
import { GovernanceService } from '../../src/domain/governance';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { MyWorkReader } from '../../src/graph/myWorkReader';

const BASE = 'https://127.0.0.1:9443';
const REQUEST = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const token = () => Promise.resolve('not-a-jwt');

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const TOO_MANY = () => json(429, { error: { code: 'TooManyRequests', message: 'x' } }, { 'retry-after': '1' });

function urlOf(input: string | URL | Request): URL {
  return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
}

describe('Graph attempts: at most 5 for one logical call', () => {
  it('a read throttled in its $batch is sent alone at most 4 more times', async () => {
    let clock = 1_000_000;
    const alone = new Map<string, number>();
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
      fetch: (input, init) => {
        const url = urlOf(input);
        if (url.pathname.endsWith('/$batch')) {
          const { requests } = JSON.parse(String(init?.body)) as { requests: Array<{ id: string }> };
          const responses = requests.map((r) => ({ id: r.id, status: 429, headers: { 'Retry-After': '1' }, body: {} }));
          return Promise.resolve(json(200, { responses }));
        }
        alone.set(url.pathname, (alone.get(url.pathname) ?? 0) + 1);
        return Promise.resolve(TOO_MANY());
      },
    });
    const reader = new MyWorkReader(gateway, { now: () => clock, sleep: async (ms) => void (clock += ms) });
    const got = await reader.fetch('approvals', token);
    assert.ok(alone.size > 0, 'the throttled items were read again alone');
    for (const [path, n] of alone) assert.equal(n, 4, `${path}: the batch's attempt and 4 alone`);
    assert.ok(got.failed.length > 0 && got.failed.every((f) => f.error.code === 'THROTTLED'));
  });

  it('a write re-sent after a 5xx and a read shares its first sends’ 5 attempts', async () => {
    let clock = 1_000_000;
    const posts: number[] = [];
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
      fetch: (input, init) => {
        if ((init?.method ?? 'GET').toUpperCase() === 'GET')
          return Promise.resolve(json(200, { id: REQUEST, status: 'PendingApproval' }));
        posts.push(clock);
        // Throttled twice, then a 503 (its outcome unknown); the re-send is throttled throughout.
        if (posts.length === 3)
          return Promise.resolve(json(503, { error: { code: 'serviceUnavailable', message: 'x' } }));
        return Promise.resolve(TOO_MANY());
      },
    });
    const service = new GovernanceService({
      cloud: 'global',
      graph: gateway,
      audit: () => undefined,
      newId: () => 'c1',
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
    });
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: REQUEST } };
    const outcome = await service.perform(target, { aadObjectId: 'u1', getToken: token });
    assert.equal(outcome.ok, false);
    assert.equal(posts.length, 5, 'three sends before the read, two after it');
    assert.ok(posts[posts.length - 1]! - posts[0]! < 30_000);
    assert.equal(!outcome.ok && outcome.error.code, 'THROTTLED');
  });
});
