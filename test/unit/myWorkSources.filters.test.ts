// The filters behind "my requests" are ones Graph documents: access package request `state`
// "Supports $filter (eq)", PIM request `status` eq and ne; no page documents `or` or `in` on them,
// so the simulated tenant refuses both, and the list asks for each cancellable state with `eq`.
// https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest?view=graph-rest-1.0
// Cancellable: https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0
// (accepted, pendingApproval, pendingNotBefore, pendingApprovalEscalated: `state` submitted,
// pendingApproval, scheduled) and
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0 (Granted).

import { strict as assert } from 'node:assert';
import { SOURCES } from '../../src/graph/myWorkSources';
import { ACCESS_REQUEST_SHAPE } from '../../src/sandbox/graph/entitlementManagement';
import { EntityShape, parseQuery } from '../../src/sandbox/graph/odata';
import { GROUP_REQUEST_SHAPE } from '../../src/sandbox/graph/pimGroups';
import { ROLE_REQUEST_SHAPE } from '../../src/sandbox/graph/pimRoles';

const SHAPES: Record<string, EntityShape> = {
  role: ROLE_REQUEST_SHAPE,
  group: GROUP_REQUEST_SHAPE,
  access: ACCESS_REQUEST_SHAPE,
};

const filterOf = (url: string): string | null => new URLSearchParams(url.split('?')[1] ?? '').get('$filter');

describe('my requests: the filters it sends', () => {
  it('the simulated tenant refuses `or` and `in`, which no page documents for these properties', () => {
    for (const [filter, shape] of [
      ["state eq 'submitted' or state eq 'scheduled'", ACCESS_REQUEST_SHAPE],
      ["state in ('submitted','scheduled')", ACCESS_REQUEST_SHAPE],
      ["status eq 'Granted' or status eq 'PendingApproval'", ROLE_REQUEST_SHAPE],
      ["status in ('Granted','PendingApproval')", GROUP_REQUEST_SHAPE],
    ] as const) {
      const parsed = parseQuery(new URLSearchParams({ $filter: filter }), {}, shape);
      assert.equal(parsed.ok, false, filter);
    }
  });

  it('asks for every cancellable state, each with a filter the simulated tenant accepts', () => {
    const asked = (kind: string) =>
      SOURCES.requests.filter((s) => s.kind === kind).map((s) => /'([^']*)'/.exec(filterOf(s.url) ?? '')?.[1]);
    assert.deepEqual(asked('access'), ['submitted', 'pendingApproval', 'scheduled']);
    for (const kind of ['role', 'group'])
      assert.deepEqual(asked(kind), [
        'Granted',
        'PendingApproval',
        'PendingApprovalProvisioning',
        'PendingAdminDecision',
      ]);
    for (const s of [...SOURCES.requests, ...SOURCES.approvals]) {
      const params = new URLSearchParams(s.url.split('?')[1] ?? '');
      const parsed = parseQuery(params, {}, SHAPES[s.kind]!);
      assert.ok(parsed.ok, `${s.id}: ${JSON.stringify(parsed)}`);
    }
    assert.ok(SOURCES.requests.length <= 20, 'one JSON batch holds at most 20 requests');
  });
});
