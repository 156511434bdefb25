// The simulated tenant's GET /v1.0/me/ownedObjects, against what Microsoft documents:
// https://learn.microsoft.com/en-us/graph/api/user-list-ownedobjects
// - "Get the list of directory objects that are owned by the user"; GET /me/ownedObjects;
// - delegated permissions: User.Read least privileged; Directory.Read.All, Directory.ReadWrite.All,
//   User.Read.All, User.ReadWrite.All higher; application permissions not supported with /me;
// - "This method supports the OData query parameters" with no list for this relationship: the model
//   takes $select, $top and its own $skiptoken and refuses the rest (on directory objects $filter
//   beyond defaults, $search, $orderby and $count need the advanced query parameters:
//   https://learn.microsoft.com/en-us/graph/aad-advanced-queries), so it is at least as strict;
// - pages with @odata.nextLink (https://learn.microsoft.com/en-us/graph/paging).
// And the bot's own client for that read (src/graph/ownedGroups.ts) against the same model, and the
// sandbox team whose group Megan Bowen owns.

import { strict as assert } from 'node:assert';
import { GraphGateway } from '../../src/graph/graphGateway';
import { OWNED_PAGES, ownsGroup } from '../../src/graph/ownedGroups';
import { SANDBOX_ALERTS_TEAM } from '../../src/sandbox/alertsTeam';
import { OWNED_OBJECTS_PAGE } from '../../src/sandbox/graph/ownedObjects';
import type { DemoSeed, SeedGroup } from '../../src/sandbox/seed';
import { tenantFetch } from '../../src/sandbox/server';
import type { SimulatedTenant } from '../../src/sandbox/tenant';
import { extendedTenant, GRAPH_BASE, userMaker } from '../fixtures/extendedSeed';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const OWNED = '/v1.0/me/ownedObjects';

const person = userMaker('c0000000-0000-4000-8000-00000000010');
const EXTRA = [
  person(1, 'Irvin Sayers', ['EntitlementMgmt-SubjectAccess.ReadWrite']),
  person(2, 'Lee Gu', ['User.Read.All']),
  person(3, 'Miriam Graham', ['Directory.Read.All']),
  // Owns many groups: Nestor 250, Pradeep more than the bot reads.
  person(4, 'Nestor Wilke', ['User.Read']),
  person(5, 'Pradeep Gupta', ['User.Read']),
];
const groupNo = (i: number) => `f0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const MANY = 250;
const TOO_MANY = OWNED_OBJECTS_PAGE * OWNED_PAGES + 5;
const OWNED_GROUPS: SeedGroup[] = Array.from({ length: TOO_MANY }, (_, i) => ({
  id: groupNo(i),
  displayName: `Project ${i}`,
  members: [],
  owners: [...(i < MANY ? [EXTRA[3]!.id] : []), EXTRA[4]!.id],
}));

interface Page {
  value: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
}

describe('simulated tenant: GET /me/ownedObjects (https://learn.microsoft.com/en-us/graph/api/user-list-ownedobjects)', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  const read = (name: string, query = '') =>
    call(tenant, 'GET', `${OWNED}${query}`, { bearer: graphTokenFor(tenant, seed, name) });

  beforeEach(() => {
    ({ seed, tenant } = extendedTenant(EXTRA, OWNED_GROUPS));
  });

  it("the seed: the sandbox team's group is a seed group; Megan Bowen, the Playground's user, owns it", () => {
    const group = seed.groups.find((g) => g.id === SANDBOX_ALERTS_TEAM.aadGroupId);
    assert.equal(group?.displayName, 'Identity Operations');
    assert.deepEqual(group?.owners, [seed.users[0]!.id]);
    const r = read('Megan Bowen');
    assert.equal(r.status, 200, r.body);
    const page = jsonOf<Page>(r);
    assert.deepEqual(
      page.value.map((v) => [v['@odata.type'], v.id, v.displayName]),
      [['#microsoft.graph.group', SANDBOX_ALERTS_TEAM.aadGroupId, 'Identity Operations']],
    );
    assert.equal(page['@odata.nextLink'], undefined);
    assert.ok(r.headers['request-id'], 'Graph request-id header');
  });

  it('someone who owns nothing: an empty value, not an error; ownership is not membership', () => {
    const r = read('Adele Vance');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(jsonOf<Page>(r).value, []);
  });

  it('permissions: User.Read, User.Read.All or Directory.Read.All; otherwise 403 Authorization_RequestDenied', () => {
    assert.equal(read('Megan Bowen').status, 200, 'User.Read');
    assert.equal(read('Lee Gu').status, 200, 'User.Read.All');
    assert.equal(read('Miriam Graham').status, 200, 'Directory.Read.All');
    const r = read('Irvin Sayers');
    assert.equal(r.status, 403);
    const error = errorOf(r);
    assert.equal(error.code, 'Authorization_RequestDenied');
    assert.equal(error.message, 'Insufficient privileges to complete the operation.');
    assert.equal(error.innerError?.['request-id'], r.headers['request-id']);
    assert.equal(call(tenant, 'GET', OWNED).status, 401, 'no token');
  });

  it('$select of directory properties trims each object; an unknown property or option is a 400', () => {
    const r = read('Megan Bowen', '?$select=id');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(jsonOf<Page>(r).value, [
      { '@odata.type': '#microsoft.graph.group', id: SANDBOX_ALERTS_TEAM.aadGroupId },
    ]);
    for (const query of [
      '?$select=mail',
      `?$filter=id eq '${SANDBOX_ALERTS_TEAM.aadGroupId}'`,
      '?$search="displayName:Identity"',
      '?$orderby=displayName',
      '?$count=true',
      '?$expand=members',
      '?$skip=1',
      '?$top=0',
      '?$top=1000',
    ]) {
      const bad = read('Megan Bowen', query);
      assert.equal(bad.status, 400, `${query} -> ${bad.status}`);
      assert.ok(errorOf(bad).code, 'Graph error envelope');
    }
    // A cast segment is not documented for this relationship: no collection answers it.
    assert.notEqual(
      call(tenant, 'GET', `${OWNED}/microsoft.graph.group`, { bearer: graphTokenFor(tenant, seed, 'Megan Bowen') })
        .status,
      200,
    );
  });

  it(`pages of ${OWNED_OBJECTS_PAGE} by default (or $top), each with the @odata.nextLink of the next`, () => {
    const ids: unknown[] = [];
    let url: string | undefined = `${OWNED}?$select=id`;
    let pages = 0;
    while (url) {
      const r = call(tenant, 'GET', url, { bearer: graphTokenFor(tenant, seed, 'Nestor Wilke') });
      assert.equal(r.status, 200, r.body);
      const page = jsonOf<Page>(r);
      assert.ok(page.value.length <= OWNED_OBJECTS_PAGE);
      ids.push(...page.value.map((v) => v.id));
      pages++;
      const next = page['@odata.nextLink'];
      url = next ? next.slice(next.indexOf('/v1.0/')) : undefined;
    }
    assert.equal(pages, 3);
    assert.deepEqual(
      ids,
      OWNED_GROUPS.slice(0, MANY).map((g) => g.id),
    );
    const top = jsonOf<Page>(read('Nestor Wilke', '?$top=50'));
    assert.equal(top.value.length, 50);
    assert.match(top['@odata.nextLink'] ?? '', /(\$|%24)skiptoken=/);
  });

  describe("the bot's own client (src/graph/ownedGroups.ts)", () => {
    const client = () => {
      const urls: string[] = [];
      const tenantCall = tenantFetch(tenant, GRAPH_BASE);
      const graph = new GraphGateway({
        graphEndpoint: GRAPH_BASE,
        fetch: (input, init) => {
          urls.push(String(input instanceof Request ? input.url : input));
          return tenantCall(input, init);
        },
      });
      return { graph, urls, token: (name: string) => graphTokenFor(tenant, seed, name, GRAPH_BASE) };
    };

    it("Megan owns the sandbox team's group; Adele does not; without a permission it cannot tell", async () => {
      const { graph, urls, token } = client();
      assert.equal(await ownsGroup(graph, token('Megan Bowen'), SANDBOX_ALERTS_TEAM.aadGroupId), true);
      assert.match(urls[0] ?? '', /\/v1\.0\/me\/ownedObjects\?\$select=id$/);
      assert.equal(await ownsGroup(graph, token('Adele Vance'), SANDBOX_ALERTS_TEAM.aadGroupId), false);
      assert.equal(await ownsGroup(graph, token('Irvin Sayers'), SANDBOX_ALERTS_TEAM.aadGroupId), null);
    });

    it('follows @odata.nextLink to a later page; a list longer than its bound is "cannot tell", never "not an owner"', async () => {
      const { graph, urls, token } = client();
      assert.equal(await ownsGroup(graph, token('Nestor Wilke'), groupNo(MANY - 1).toUpperCase()), true);
      assert.equal(urls.length, 3);
      assert.equal(await ownsGroup(graph, token('Nestor Wilke'), SANDBOX_ALERTS_TEAM.aadGroupId), false);
      urls.length = 0;
      assert.equal(await ownsGroup(graph, token('Pradeep Gupta'), SANDBOX_ALERTS_TEAM.aadGroupId), null);
      assert.equal(urls.length, OWNED_PAGES);
    });

    it('a group id that is not a GUID never reaches Graph', async () => {
      const { graph, urls, token } = client();
      assert.equal(await ownsGroup(graph, token('Megan Bowen'), "x' or 1 eq 1"), null);
      assert.deepEqual(urls, []);
    });

    it('no answer within the deadline: "cannot tell"', async () => {
      const graph = new GraphGateway({
        graphEndpoint: GRAPH_BASE,
        fetch: (_input, init) =>
          new Promise((_resolve, reject) =>
            init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
          ),
        timeoutMs: 50,
      });
      assert.equal(await ownsGroup(graph, 'token', SANDBOX_ALERTS_TEAM.aadGroupId), null);
    });
  });
});
