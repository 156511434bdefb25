// An access package approval stage nobody decided in time expires: "The number of days that a
// request can be pending a response before it is automatically denied"
// (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage), and its
// approval stage reads status Expired with the all-zero reviewer
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).
// Nobody decided it: a typed "approve" on it is not told that someone else decided first, nor that
// Microsoft Graph refused a decision the bot never sent (the read before the write found the stage
// over), as a press on its card is not (approvalView.notReviewed.test.ts).

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { DecidedElsewhereError } from '../../src/domain/errors';
import { GovernanceService } from '../../src/domain/governance';
import { CATALOG, Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { delegatedToken } from '../fixtures/tenantClient';

const BASE = 'https://127.0.0.1:9443';
const REQUEST_ID = '7999249e-249e-7999-9e24-99799e249f02';

describe('a typed decision on an access package approval that expired', () => {
  const seed = loadDemoSeed();
  const tenant = new SimulatedTenant(seed);
  tenant.addAccessRequest({
    id: REQUEST_ID,
    state: 'pendingApproval',
    status: 'PendingApproval',
    accessPackageName: 'Finance reports',
    requestor: 'Adele Vance',
    requestType: 'userAdd',
    approvers: ['Megan Bowen'],
    ageMinutes: 15 * 24 * 60,
  } as never);
  const megan = seed.users[0]!;
  assert.equal(megan.displayName, 'Megan Bowen');
  const token = delegatedToken(tenant, seed, 0, BASE);
  const svc = new GovernanceService({
    cloud: 'global',
    graph: new GraphGateway({ graphEndpoint: BASE, fetch: tenantFetch(tenant, BASE), sleep: async () => undefined }),
    audit: () => undefined,
    newId: () => 'c',
  });
  const actor = { aadObjectId: megan.id, getToken: async () => token };

  for (const decision of ['approve', 'deny'] as const)
    it(`${decision}: says it is Expired, not that someone else decided it`, async () => {
      const target: Target = {
        operation: 'decideAccessPackageApproval',
        ids: { requestId: REQUEST_ID },
        decision,
        ...(decision === 'deny' ? { justification: 'Not this quarter' } : {}),
      };
      assert.equal(tenant.getApproval(REQUEST_ID)?.stages[0]?.status, 'Expired');
      const done = await svc.perform(target, actor);
      assert.ok(!done.ok);
      assert.ok(!(done.error instanceof DecidedElsewhereError), done.error.constructor.name);
      const told = explain(done.error, CATALOG[target.operation], target, 'command');
      const said = `${told.title} ${told.what} ${told.next}`;
      assert.match(said, /Expired/, said);
      assert.doesNotMatch(said, /someone else|decided first|Graph refused/i, said);
    });
});
