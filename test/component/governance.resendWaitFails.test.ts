// The re-send after a write answered 503 with a Retry-After waits that Retry-After first, as Graph
// asks (https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors,
// https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling). A wait that
// fails (its timer torn down) is no wait: the write must not go out again early. It did: the
// failure of the wait was swallowed and the write re-sent at once.

import { strict as assert } from 'node:assert';
import { GovernanceService } from '../../src/domain/governance';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';

const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' } };
const actor = { aadObjectId: 'u1', getToken: () => Promise.resolve('not-a-jwt') };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('the re-send after a write answered 503, when its wait fails', () => {
  it('is not sent early', async () => {
    let clock = Date.parse('2026-11-29T12:00:00Z');
    const sent: string[] = [];
    const answers = [
      () => json(503, { error: { code: 'serviceNotAvailable', message: 'busy' } }, { 'retry-after': '4' }),
      () => json(200, { id: target.ids.requestId, status: 'PendingApproval' }),
      () => new Response(null, { status: 204 }),
    ];
    const gateway = new GraphGateway({
      graphEndpoint: 'https://127.0.0.1:9443',
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
      fetch: (_url, init) => {
        sent.push((init?.method ?? 'GET').toUpperCase());
        clock += 100;
        return Promise.resolve((answers.shift() ?? (() => new Response(null, { status: 500 })))());
      },
    });
    const service = new GovernanceService({
      cloud: 'global',
      graph: gateway,
      audit: () => undefined,
      newId: () => 'c1',
      now: () => clock,
      sleep: () => Promise.reject(new Error('timer torn down')),
    });
    const outcome = await service.perform(target, actor).catch((e: unknown) => e);
    assert.deepEqual(sent, ['POST', 'GET'], 'the write went out again without its wait');
    assert.ok(!(outcome as { ok?: boolean }).ok);
  });
});
