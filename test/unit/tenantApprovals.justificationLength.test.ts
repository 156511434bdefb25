// The simulated tenant counts a decision's justification in characters (code points), as the bot
// does (src/domain/characters.ts): 500 emoji are 500 characters, 1000 UTF-16 code units. Counting
// code units would refuse, as too long, a justification the bot has already checked and sent.
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { JUSTIFICATION_MAX } from '../../src/sandbox/graph/approvalModel';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const ROLE_APPROVALS = '/beta/roleManagement/directory/roleAssignmentApprovals';

describe('simulated tenant: justification length of a decision', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
  });

  const decide = (justification: string) => {
    const id = seed.examples.roleApprovalId;
    const bearer = graphTokenFor(tenant, seed, 'Megan Bowen');
    const step = jsonOf<{ steps: Array<{ id: string }> }>(call(tenant, 'GET', `${ROLE_APPROVALS}/${id}`, { bearer }))
      .steps[0]!;
    return call(tenant, 'PATCH', `${ROLE_APPROVALS}/${id}/steps/${step.id}`, {
      bearer,
      body: { reviewResult: 'Deny', justification },
    });
  };

  it(`${JUSTIFICATION_MAX} emoji (two UTF-16 code units each) are within the limit`, () => {
    const r = decide('🙂'.repeat(JUSTIFICATION_MAX));
    assert.equal(r.status, 204, r.body);
    assert.equal(tenant.getApproval(seed.examples.roleApprovalId)?.stages[0]?.justification.length, 1000);
  });

  it(`${JUSTIFICATION_MAX + 1} emoji are one character too many`, () => {
    const r = decide('🙂'.repeat(JUSTIFICATION_MAX + 1));
    assert.equal(r.status, 400, r.body);
    assert.match(errorOf(r).message, /at most 500 characters/);
  });
});
