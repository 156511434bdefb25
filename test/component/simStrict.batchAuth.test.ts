// Is the simulated tenant's JSON batching as strict as Graph's about the batch itself?
// https://learn.microsoft.com/graph/json-batching: the batch is one POST to $batch whose body is a
// JSON object ("Content-Type: application/json" in every example); its requests run with the
// batch's own authorization. The page lists, per request, id, method, url, headers, body and
// dependsOn and says nothing of a request's own Authorization header or of a batch inside a batch:
// the stricter reading is taken. A single call without a JSON Content-Type is refused with 400
// "Unable to read JSON request payload…" (simStrict.payload), and so is the batch; a request's
// own Authorization header never replaces the batch's token; a request to $batch is refused (400).

import { strict as assert } from 'node:assert';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const UNREADABLE =
  'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';
const ROLE_REQUESTS = '/roleManagement/directory/roleAssignmentScheduleRequests';

interface Answer {
  id: string;
  status: number;
}

describe("simulated tenant's $batch: content type, authorization and nesting as strict as Graph's", () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed);
  });
  const workflow = () => `/identityGovernance/lifecycleWorkflows/workflows/${seed.examples.workflowId}`;
  const answers = (r: ReturnType<typeof call>): Answer[] => {
    assert.equal(r.status, 200, r.body);
    return jsonOf<{ responses: Answer[] }>(r).responses;
  };

  it('refuses a batch body without a JSON Content-Type, as a single call (400)', () => {
    const megan = graphTokenFor(tenant, seed, 'Megan Bowen');
    const body = JSON.stringify({ requests: [{ id: '1', method: 'GET', url: workflow() }] });
    const unread: Array<Record<string, string>> = [{}, { 'content-type': 'text/plain' }];
    for (const headers of unread) {
      const r = call(tenant, 'POST', '/v1.0/$batch', { bearer: megan, body, headers });
      assert.equal(r.status, 400, r.body);
      assert.equal(errorOf(r).code, 'BadRequest');
      assert.equal(errorOf(r).message, UNREADABLE);
    }
    const ok = call(tenant, 'POST', '/v1.0/$batch', {
      bearer: megan,
      body,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(answers(ok)[0]?.status, 200);
  });

  it("runs every request with the batch's token, whatever Authorization header a request carries", () => {
    const lynne = graphTokenFor(tenant, seed, 'Lynne Robbins');
    const megan = graphTokenFor(tenant, seed, 'Megan Bowen');
    const alone = answers(
      call(tenant, 'POST', '/v1.0/$batch', {
        bearer: lynne,
        body: { requests: [{ id: '1', method: 'GET', url: ROLE_REQUESTS }] },
      }),
    );
    assert.equal(alone[0]?.status, 403, "Lynne's own token may not list role requests");
    const carried = answers(
      call(tenant, 'POST', '/v1.0/$batch', {
        bearer: lynne,
        body: {
          requests: [{ id: '1', method: 'GET', url: ROLE_REQUESTS, headers: { Authorization: `Bearer ${megan}` } }],
        },
      }),
    );
    assert.equal(carried[0]?.status, 403, "a request's own Authorization header replaced the batch's token");
  });

  it('refuses a batch inside a batch (400) and runs nothing of it', () => {
    const megan = graphTokenFor(tenant, seed, 'Megan Bowen');
    const cancel = `/identityGovernance/lifecycleWorkflows/workflows/${seed.examples.workflowId}/cancelProcessing`;
    const inner = {
      requests: [
        {
          id: 'a',
          method: 'POST',
          url: cancel,
          headers: { 'Content-Type': 'application/json' },
          body: {
            scope: {
              '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope',
              runs: [{ id: seed.examples.runId }],
            },
          },
        },
      ],
    };
    const got = answers(
      call(tenant, 'POST', '/v1.0/$batch', {
        bearer: megan,
        body: {
          requests: [
            { id: '1', method: 'POST', url: '/$batch', headers: { 'Content-Type': 'application/json' }, body: inner },
          ],
        },
      }),
    );
    assert.equal(got[0]?.status, 400);
    assert.notEqual(tenant.getRun(seed.examples.workflowId, seed.examples.runId)?.processingStatus, 'canceling');
  });
});
