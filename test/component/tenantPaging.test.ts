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
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

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

// The $skiptoken of an @odata.nextLink is Graph's own and opaque: "Don't try to extract the
// $skiptoken or $skip value and use it in a different request" (https://learn.microsoft.com/graph/paging).
// The tenant read it as a plain offset, so a client that made one up (`$skiptoken=25`) or carried one
// over to another query was served a page that Graph would refuse. A token the tenant did not give
// for this same request is refused with 400 (the page names no status; a refusal is the strict reading).
describe('simulated tenant: a $skiptoken is only good in the @odata.nextLink it came in', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed);
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

  const get = (name: string, url: string) => call(tenant, 'GET', url, { bearer: graphTokenFor(tenant, seed, name) });
  const nextOf = (name: string, url: string): string => {
    const r = get(name, url);
    assert.equal(r.status, 200, r.body);
    const next = jsonOf<{ '@odata.nextLink'?: string }>(r)['@odata.nextLink'];
    assert.ok(next, `${url} has a next page`);
    return next.replace(/^https:\/\/[^/]+/, '');
  };
  const tokenOf = (link: string) => new URL(link, 'https://x').searchParams.get('$skiptoken') ?? '';

  it('a made-up $skiptoken is refused with 400 on every paged collection', () => {
    for (const [name, url] of [
      [DIEGO, `${EM_REQ}/filterByCurrentUser(on='target')?$skiptoken=${EM_PAGE_SIZE}`],
      [MEGAN, `${EM_REQ}?$skiptoken=${EM_PAGE_SIZE}`],
      [
        MEGAN,
        `/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals/filterByCurrentUser(on='approver')?$skiptoken=${EM_PAGE_SIZE}`,
      ],
      [MEGAN, '/v1.0/me/ownedObjects?$skiptoken=1'],
      [MEGAN, `${EM_REQ}?$skiptoken=`],
    ] as const) {
      const r = get(name, url);
      assert.equal(r.status, 400, url);
      assert.equal(errorOf(r).code, 'BadRequest');
    }
  });

  it('the token of one request is refused in another (another collection, another filter)', () => {
    const mine = nextOf(DIEGO, `${EM_REQ}/filterByCurrentUser(on='target')`);
    const token = encodeURIComponent(tokenOf(mine));
    assert.equal(get(DIEGO, mine).status, 200, 'the link as given is followed');
    assert.equal(get(MEGAN, `${EM_REQ}?$skiptoken=${token}`).status, 400);
    assert.equal(get(DIEGO, `${EM_REQ}/filterByCurrentUser(on='createdBy')?$skiptoken=${token}`).status, 400);
    assert.equal(
      get(DIEGO, `${EM_REQ}/filterByCurrentUser(on='target')?$filter=state eq 'pendingApproval'&$skiptoken=${token}`)
        .status,
      400,
    );
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    assert.equal(get(DIEGO, `${EM_REQ}/filterByCurrentUser(on='target')?$skiptoken=${tampered}`).status, 400);
  });
});
