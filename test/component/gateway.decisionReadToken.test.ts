// The read before an access package decision (the approver's own filterByCurrentUser, page by
// page) is judged by one token: its permissions choose the paths read and its subject is the
// approver a self-approval is checked against (decisionBars.ts). Every page of that read goes with
// the same token, asked of the user's token source once, as the item reads do; a source asked
// again for every page could put a page under another token than the one the read was judged by.
// Paging: https://learn.microsoft.com/graph/paging; the function:
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const FILTER = `${BASE}/v1.0/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='approver')`;
const target: Target = {
  operation: 'decideAccessPackageApproval',
  ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', stageId: '7a1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4c' },
  decision: 'approve',
};

describe('the read before an access package decision asks for the token once', () => {
  it('sends every page of the read with one token, and the decision with its own ask', async () => {
    let asked = 0;
    const token = () => Promise.resolve(`token-${++asked}`);
    const sent: { method: string; bearer: string | null }[] = [];
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      budgetMs: 30_000,
      fetch: (_input, init) => {
        const method = (init?.method ?? 'GET').toUpperCase();
        const bearer = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]).get('authorization');
        sent.push({ method, bearer });
        if (method !== 'GET') return Promise.resolve(new Response(null, { status: 204 }));
        // Three pages, none with the request: the read tells nothing and the decision goes.
        const page = sent.filter((s) => s.method === 'GET').length;
        const body = {
          value: [{ id: 'a0000000-0000-4000-8000-000000000000' }],
          ...(page < 3 ? { '@odata.nextLink': `${FILTER}?$skiptoken=${page}` } : {}),
        };
        return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
      },
    });
    await gateway.write(target, token);
    const pages = sent.filter((s) => s.method === 'GET');
    assert.equal(pages.length, 3, 'the read followed every page');
    assert.deepEqual(
      pages.map((p) => p.bearer),
      ['Bearer token-1', 'Bearer token-1', 'Bearer token-1'],
      'a page went with another token than the one the read was judged by',
    );
    assert.deepEqual(
      sent.filter((s) => s.method !== 'GET').map((s) => s.bearer),
      ['Bearer token-2'],
    );
    assert.equal(asked, 2, 'once for the read, once for the decision');
  });
});
