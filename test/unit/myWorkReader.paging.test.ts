// A list's next page is Graph's @odata.nextLink, followed as Graph gave it: "the entire URL",
// whose $skiptoken is opaque and may be long ("Don't extract the $skiptoken or $skip value and use
// it in a different request", https://learn.microsoft.com/graph/paging). A link cut short is a
// different request: "More" would then read a page Graph does not know, or none. PIM's approver
// filters give no next page past 50 (anchors-and-user-needs §2.2, microsoftgraph/microsoft-graph-docs#15755):
// the card says so once per kind.

import { strict as assert } from 'node:assert';
import type { BatchAnswer } from '../../src/graph/graphReads';
import { ListReads, MyWorkReader } from '../../src/graph/myWorkReader';

const ROOT = 'https://graph.microsoft.com';
const ROW = {
  id: '00000000-0000-4000-8000-000000000001',
  createdDateTime: '2026-01-01T00:00:00Z',
};
// An entitlement management nextLink as Graph writes them: the function, its query, and a long
// opaque $skiptoken (hundreds of characters are usual).
const SKIPTOKEN = 'ZXlKemIzVnlZMlVpT2lKbGJuUnBkR3hsYldWdWRFMWhibUZuWlcxbGJuUWlM'.repeat(8);
const NEXT =
  `${ROOT}/v1.0/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='target')` +
  `?$filter=state%20eq%20'submitted'&$expand=accessPackage,requestor&$skiptoken=${SKIPTOKEN}`;

describe('my requests: the next page is read at the link Graph gave, whole', () => {
  it('keeps a long @odata.nextLink whole and follows it unchanged', async () => {
    const asked: string[][] = [];
    const reads: ListReads = {
      endpoint: ROOT,
      async batchGet(_op, _v, requests) {
        asked.push(requests.map((r) => r.url));
        return new Map(
          requests.map((r): [string, BatchAnswer] => [
            r.id,
            {
              status: 200,
              headers: {},
              body:
                r.id === 'access.submitted' && asked.length === 1
                  ? { value: [ROW], '@odata.nextLink': NEXT }
                  : { value: [] },
            },
          ]),
        );
      },
      async getJson() {
        throw new Error('no read alone expected');
      },
    } as ListReads;
    const reader = new MyWorkReader(reads);
    const token = async () => 'token';
    assert.ok(NEXT.length > 400, 'the link is longer than any cut a display field takes');
    const first = await reader.fetch('requests', token);
    assert.equal(first.next['access.submitted'], NEXT, 'the continuation is the link as Graph gave it');
    await reader.fetch('requests', token, first.next);
    assert.deepEqual(asked[1], [NEXT.slice(`${ROOT}/v1.0`.length)], 'More reads the very page Graph pointed to');
  });
});

describe('my approvals: the approver filter’s cap is said once per kind', () => {
  it('a kind whose assignment and eligibility reads both reach the cap is named once', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      createdDateTime: '2026-01-01T00:00:00Z',
      approvalId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    }));
    const reads: ListReads = {
      endpoint: ROOT,
      async batchGet(_op, _v, requests) {
        return new Map(
          requests.map((r): [string, BatchAnswer] => [
            r.id,
            { status: 200, headers: {}, body: { value: r.id.startsWith('role') ? fifty : [] } },
          ]),
        );
      },
      async getJson() {
        throw new Error('no read alone expected');
      },
    } as ListReads;
    // A token whose scopes hold the eligibility filter's permission: both role reads go.
    const payload = Buffer.from(
      JSON.stringify({ scp: 'RoleAssignmentSchedule.ReadWrite.Directory RoleEligibilitySchedule.ReadWrite.Directory' }),
    ).toString('base64url');
    const token = async () => `e30.${payload}.sig`;
    const got = await new MyWorkReader(reads).fetch('approvals', token);
    assert.deepEqual(got.capped, ['role']);
  });
});
