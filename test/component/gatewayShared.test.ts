// One Graph client and middleware chain serve every call and user (graphGateway.ts): what belongs
// to a call (its user's token, whether its attempt timed out) travels with that call's request,
// so concurrent calls never see each other's token or fate.

import { strict as assert } from 'node:assert';
import { UpstreamError } from '../../src/domain/errors';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { delegatedToken } from './gateway.test';

const BASE = 'https://127.0.0.1:9443';

describe('GraphGateway, one client for every call', () => {
  it('sends each concurrent call with its own caller token', async () => {
    const seed = loadDemoSeed();
    const tenant = new SimulatedTenant(seed);
    const gateway = new GraphGateway({ graphEndpoint: BASE, fetch: tenantFetch(tenant, BASE) });
    const megan = delegatedToken(tenant, seed, 0);
    const other = delegatedToken(tenant, seed, 1);
    tenant.clearLog();
    const role: Target = { operation: 'cancelRoleRequest', ids: { requestId: seed.examples.roleRequestId } };
    const group: Target = { operation: 'cancelGroupRequest', ids: { requestId: seed.examples.groupRequestId } };
    // Interleaved: the role reads are Megan's, the group reads the other user's.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? gateway.readState(role, () => Promise.resolve(megan)).catch(() => null)
          : gateway.readState(group, () => Promise.resolve(other)).catch(() => null),
      ),
    );
    const requests = tenant.graphRequests();
    assert.equal(requests.length, 10);
    for (const r of requests) {
      const expected = r.path.includes('roleAssignmentScheduleRequests') ? seed.users[0]!.id : seed.users[1]!.id;
      assert.equal(r.tokenClaims?.oid, expected, `${r.method} ${r.path}`);
    }
  });

  it('a call that timed out leaves nothing behind: the next call refused at once is a network failure', async () => {
    const seed = loadDemoSeed();
    const role: Target = { operation: 'cancelRoleRequest', ids: { requestId: seed.examples.roleRequestId } };
    const group: Target = { operation: 'cancelGroupRequest', ids: { requestId: seed.examples.groupRequestId } };
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      timeoutMs: 50,
      // The role write hangs (only its deadline ends it); the group write is refused at once.
      fetch: (input) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (url.includes('roleAssignmentScheduleRequests')) return new Promise<Response>(() => undefined);
        return Promise.reject(new TypeError('fetch failed'));
      },
    });
    const token = () => Promise.resolve('a-token');
    await assert.rejects(
      gateway.write(role, token),
      (e: unknown) => e instanceof UpstreamError && /did not answer in time/.test(e.message),
    );
    await assert.rejects(
      gateway.write(group, token),
      (e: unknown) => e instanceof UpstreamError && /could not be reached/.test(e.message),
    );
  });
});
