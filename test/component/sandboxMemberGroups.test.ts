// The simulated tenant's POST /v1.0/me/checkMemberGroups, against what Microsoft documents:
// https://learn.microsoft.com/en-us/graph/api/user-checkmembergroups
// - body {"groupIds": [...]}, "up to a maximum of 20 groups per request";
// - answers {"value": [...]}: the ids among them the signed-in user is a member of; "This
//   function is transitive";
// - delegated permissions for the signed-in user's own memberships (least privileged first):
//   User.Read; User.ReadBasic.All and GroupMember.Read.All; User.Read.All and GroupMember.Read.All;
//   User.ReadBasic.All and Group.Read.All; User.Read.All and Group.Read.All; Directory.Read.All;
// - "If the request is invalid (for example, a malformed group ID), the entire request fails."
// And the bot's own client for that call (src/graph/memberGroups.ts) against the same model, and
// the sandbox bot's configuration naming the seed's alerts admin group.

import { strict as assert } from 'node:assert';
import { readConfig } from '../../src/config';
import { GraphGateway } from '../../src/graph/graphGateway';
import { checkMemberGroups } from '../../src/graph/memberGroups';
import { CHECK_MEMBER_GROUPS_MAX } from '../../src/sandbox/graph/directory';
import type { DemoSeed, SeedGroup } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { tenantFetch } from '../../src/sandbox/server';
import { sandboxChildConfig } from '../../src/sandbox/start';
import type { SimulatedTenant } from '../../src/sandbox/tenant';
import { extendedTenant, GRAPH_BASE, userMaker } from '../fixtures/extendedSeed';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const CHECK = '/v1.0/me/checkMemberGroups';

const person = userMaker('c0000000-0000-4000-8000-00000000000');
// Users who hold one way in each (or only half of one), for the permission rows of the page.
const EXTRA = [
  person(1, 'Irvin Sayers', ['EntitlementMgmt-SubjectAccess.ReadWrite']),
  person(2, 'Johanna Lorenz', ['User.ReadBasic.All']),
  person(3, 'Lee Gu', ['User.ReadBasic.All', 'GroupMember.Read.All']),
  person(4, 'Miriam Graham', ['Directory.Read.All']),
  person(5, 'Nestor Wilke', ['GroupMember.Read.All', 'Group.Read.All']),
];
// Nesting: Nestor is in "Tier 2", which is in "Escalations", which is in "Tier 2" again (a cycle
// Entra would not allow, but the model must still end).
const NESTED: SeedGroup[] = [
  {
    id: 'd0000000-0000-4000-8000-0000000000e1',
    displayName: 'Escalations',
    members: ['d0000000-0000-4000-8000-0000000000e2'],
  },
  {
    id: 'd0000000-0000-4000-8000-0000000000e2',
    displayName: 'Tier 2',
    members: ['c0000000-0000-4000-8000-000000000003', 'd0000000-0000-4000-8000-0000000000e1'],
  },
];

describe('simulated tenant: POST /me/checkMemberGroups (https://learn.microsoft.com/en-us/graph/api/user-checkmembergroups)', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let admins: string;
  let serviceDesk: string;
  const check = (name: string, body: unknown) =>
    call(tenant, 'POST', CHECK, { bearer: graphTokenFor(tenant, seed, name), body });
  const valueOf = (r: ReturnType<typeof check>) => jsonOf<{ value: string[] }>(r).value;

  beforeEach(() => {
    ({ seed, tenant } = extendedTenant(EXTRA, NESTED));
    admins = seed.alertsAdminGroupId;
    serviceDesk = seed.groups.find((g) => g.displayName === 'Service desk')!.id;
  });

  it('the seed: Megan Bowen, and none of the other demo users, is in the alerts admin group', () => {
    const group = seed.groups.find((g) => g.id === admins);
    assert.equal(group?.displayName, 'Identity Operations admins');
    assert.deepEqual(group?.members, [seed.users[0]!.id]);
    assert.equal(seed.users[0]!.displayName, 'Megan Bowen');
  });

  it('a member: the ids among those asked that the user belongs to, and only those', () => {
    const unknownGroup = 'd0000000-0000-4000-8000-0000000000ff';
    const r = check('Megan Bowen', { groupIds: [serviceDesk, admins.toUpperCase(), unknownGroup] });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(valueOf(r), [admins]);
    assert.ok(r.headers['request-id'], 'Graph request-id header');
  });

  it('a non-member: an empty value, not an error', () => {
    const r = check('Adele Vance', { groupIds: [admins] });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(valueOf(r), []);
    assert.deepEqual(valueOf(check('Adele Vance', { groupIds: [admins, serviceDesk] })), [serviceDesk]);
  });

  it('transitive: membership through nested groups counts, and a cycle of groups ends', () => {
    const [escalations, tier2] = NESTED.map((g) => g.id) as [string, string];
    const r = check('Lee Gu', { groupIds: [escalations, tier2, admins] });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(valueOf(r), [escalations, tier2]);
  });

  it(`at most ${CHECK_MEMBER_GROUPS_MAX} ids: 20 are answered, 21 are a 400 in Graph's error envelope`, () => {
    const filler = (n: number) =>
      Array.from({ length: n }, (_, i) => `e0000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const twenty = check('Megan Bowen', { groupIds: [admins, ...filler(19)] });
    assert.equal(twenty.status, 200, twenty.body);
    assert.deepEqual(valueOf(twenty), [admins]);
    const r = check('Megan Bowen', { groupIds: [admins, ...filler(20)] });
    assert.equal(r.status, 400);
    const error = errorOf(r);
    assert.equal(error.code, 'Request_BadRequest');
    assert.match(error.message, /20/);
    assert.equal(error.innerError?.['request-id'], r.headers['request-id']);
  });

  it('permissions: User.Read, a documented pair, or Directory.Read.All; otherwise 403 Authorization_RequestDenied', () => {
    assert.equal(check('Megan Bowen', { groupIds: [admins] }).status, 200, 'User.Read');
    assert.equal(check('Lee Gu', { groupIds: [admins] }).status, 200, 'User.ReadBasic.All and GroupMember.Read.All');
    assert.equal(check('Miriam Graham', { groupIds: [admins] }).status, 200, 'Directory.Read.All');
    // No permission of the table, half of a pair, or two halves that are not a documented pair.
    for (const name of ['Irvin Sayers', 'Johanna Lorenz', 'Nestor Wilke']) {
      const r = check(name, { groupIds: [admins] });
      assert.equal(r.status, 403, name);
      const error = errorOf(r);
      assert.equal(error.code, 'Authorization_RequestDenied', name);
      assert.equal(error.message, 'Insufficient privileges to complete the operation.');
      assert.equal(error.innerError?.['request-id'], r.headers['request-id']);
    }
  });

  it('no token or a token that is not a Graph token: 401, as every other Graph call', () => {
    assert.equal(call(tenant, 'POST', CHECK, { body: { groupIds: [admins] } }).status, 401);
    const sso = tenant.issueSsoToken(seed.users[0]!.id, seed.app.clientId);
    const r = call(tenant, 'POST', CHECK, { bearer: sso, body: { groupIds: [admins] } });
    assert.equal(r.status, 401);
    assert.equal(errorOf(r).code, 'InvalidAuthenticationToken');
  });

  it('an invalid body fails the whole request with 400: not JSON, no groupIds, unknown property, malformed id', () => {
    const bodies: unknown[] = [
      '{"groupIds": [',
      undefined,
      {},
      [admins],
      { groupIds: admins },
      { groupIds: [admins], securityEnabledOnly: true },
      { groupIds: [admins, 'not-a-guid'] },
      { groupIds: [admins, 42] },
    ];
    for (const body of bodies) {
      const r = check('Megan Bowen', body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} -> ${r.status}`);
      assert.ok(errorOf(r).code, 'Graph error envelope');
    }
    // Only POST: the action is not a function.
    const get = call(tenant, 'GET', CHECK, { bearer: graphTokenFor(tenant, seed, 'Megan Bowen') });
    assert.equal(get.status, 405);
  });

  it("the bot's own client (src/graph/memberGroups.ts) gets Megan's admin group, and nothing for Adele", async () => {
    const sent: Headers[] = [];
    const tenantCall = tenantFetch(tenant, GRAPH_BASE);
    const fetchImpl: typeof tenantCall = (input, init) => {
      sent.push(new Headers(init?.headers));
      return tenantCall(input, init);
    };
    const graph = new GraphGateway({ graphEndpoint: GRAPH_BASE, fetch: fetchImpl });
    const megan = graphTokenFor(tenant, seed, 'Megan Bowen', GRAPH_BASE);
    assert.deepEqual(await checkMemberGroups(graph, megan, [admins]), [admins]);
    // Like every Graph call of the bot: a fresh client-request-id
    // (https://learn.microsoft.com/en-us/graph/best-practices-concept#reliability-and-support).
    assert.match(sent[0]?.get('client-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const adele = graphTokenFor(tenant, seed, 'Adele Vance', GRAPH_BASE);
    assert.deepEqual(await checkMemberGroups(graph, adele, [admins]), []);
    // Without a permission Graph refuses; the client says "cannot tell", never "member".
    const irvin = graphTokenFor(tenant, seed, 'Irvin Sayers', GRAPH_BASE);
    assert.equal(await checkMemberGroups(graph, irvin, [admins]), null);
  });

  it('every demo user holds User.Read, as the seed grants the bot', () => {
    for (const u of loadDemoSeed().users) assert.ok(u.scopes.includes('User.Read'), u.displayName);
  });
});

describe('the sandbox bot names the seed alerts admin group', () => {
  it('sandboxChildConfig sets the alerts admin groups to the seed group', () => {
    const seed = loadDemoSeed();
    const { config } = sandboxChildConfig(readConfig({}), 'https://127.0.0.1:8443');
    assert.equal(config.mode, 'sandbox');
    assert.deepEqual(config.alerts.adminGroupIds, [seed.alertsAdminGroupId]);
  });
});
