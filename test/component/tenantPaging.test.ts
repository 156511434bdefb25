// Graph pages a collection on the server side and says so with @odata.nextLink; "your application
// should always handle the possibility that the responses are paged"
// (https://learn.microsoft.com/graph/paging, https://learn.microsoft.com/graph/best-practices-concept#pagination).
// The simulated tenant paged the entitlement management approver filter only: the requester's own
// filterByCurrentUser(on='target') and the admin list answered every request in one page, so the
// bot's page-following reads were never exercised by the tenant itself. Now every entitlement
// management request collection pages, and the bot still finds a request past the first page.
// https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { EM_PAGE_SIZE } from '../../src/sandbox/graph/items';
import { tenantFetch } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const BASE = 'https://127.0.0.1:9443';
const EM_REQ = '/v1.0/identityGovernance/entitlementManagement/assignmentRequests';
const DIEGO = 'Diego Siciliani';
const MEGAN = 'Megan Bowen';
const idOf = (n: number) => `7999249e-249e-7999-9e24-99799e24${String(9000 + n).padStart(4, '0')}`;

describe('simulated tenant: entitlement management collections are paged', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;

  beforeEach(() => {
    seed = loadDemoSeed();
    const now = Date.UTC(2026, 2, 2, 9);
    tenant = new SimulatedTenant(seed, { now: () => now });
    for (let n = 0; n < 2 * EM_PAGE_SIZE; n++) {
      tenant.addAccessRequest({
        id: idOf(n),
        state: 'pendingApproval',
        status: 'PendingApproval',
        accessPackageName: 'Finance reports',
        requestor: DIEGO,
        requestType: 'userAdd',
        approvers: [MEGAN],
      });
    }
  });

  function readAll(name: string, first: string): { pages: number; ids: string[] } {
    const bearer = graphTokenFor(tenant, seed, name);
    let url: string | undefined = first;
    const ids: string[] = [];
    let pages = 0;
    while (url) {
      const page: { value: Array<{ id: string }>; '@odata.nextLink'?: string } = jsonOf(
        call(tenant, 'GET', url, { bearer }),
      );
      assert.ok(page.value.length <= EM_PAGE_SIZE, `a page holds at most ${EM_PAGE_SIZE}`);
      ids.push(...page.value.map((v) => v.id));
      pages++;
      url = page['@odata.nextLink']?.replace(/^https:\/\/[^/]+/, '');
    }
    return { pages, ids };
  }

  it("filterByCurrentUser(on='target') answers a page at a time, with @odata.nextLink", () => {
    const { pages, ids } = readAll(DIEGO, `${EM_REQ}/filterByCurrentUser(on='target')`);
    assert.ok(pages > 1, `paged (${pages} page)`);
    for (let n = 0; n < 2 * EM_PAGE_SIZE; n++) assert.ok(ids.includes(idOf(n)), `request ${n} is listed once paged`);
    assert.equal(new Set(ids).size, ids.length, 'no request twice');
  });

  it('the bot finds its requester’s request past the first page', async () => {
    const gateway = new GraphGateway({ graphEndpoint: BASE, fetch: tenantFetch(tenant, BASE) });
    const token = graphTokenFor(tenant, seed, DIEGO, BASE);
    const last: Target = { operation: 'cancelAccessPackageRequest', ids: { requestId: idOf(2 * EM_PAGE_SIZE - 1) } };
    tenant.clearLog();
    const read = await gateway.readOwn(last, () => Promise.resolve(token));
    assert.equal(read?.item?.id, idOf(2 * EM_PAGE_SIZE - 1));
    assert.ok(tenant.graphRequests().length > 1, 'more than one page was read');
  });
});
