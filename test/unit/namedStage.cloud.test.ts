// An approval decision reads the approval first to name its stage (src/domain/namedStage.ts). In a
// national cloud whose Graph has no such route although the documentation lists the call there,
// Graph answers that read 400 "Resource not found for the segment …" (graph-reference §9, §13;
// national clouds: https://learn.microsoft.com/en-us/graph/deployments). The reply names the cloud
// the bot plays, as it does when the write itself meets that answer, never "unknown".

import { strict as assert } from 'node:assert';
import { NotAvailableInCloudError } from '../../src/domain/errors';
import { AuditLine, GovernanceService } from '../../src/domain/governance';
import { GraphGateway } from '../../src/graph/graphGateway';
import { explain } from '../../src/cards/wording';
import { CATALOG } from '../../src/domain/operations';

const GRAPH = 'https://graph.test';
const ID = '95c690fb-3eb3-4942-a03f-4524aed6f32a';

describe('approvals: the stage-naming read in a cloud without the route', () => {
  it('is "not offered" in the cloud the bot plays, with one audit line and Graph’s status', async () => {
    const sent: string[] = [];
    const graph = new GraphGateway({
      graphEndpoint: GRAPH,
      fetch: async (input, init) => {
        const req = new Request(input, init);
        sent.push(req.method);
        const message = "Resource not found for the segment 'roleAssignmentApprovals'.";
        return new Response(JSON.stringify({ error: { code: 'BadRequest', message } }), {
          status: 400,
          headers: { 'content-type': 'application/json' },
        });
      },
    });
    const audit: AuditLine[] = [];
    const governance = new GovernanceService({ cloud: 'china', graph, audit: (l) => audit.push(l), newId: () => 'c' });
    const outcome = await governance.perform(
      { operation: 'decideRoleApproval', ids: { requestId: ID }, decision: 'approve' },
      { aadObjectId: 'u', getToken: async () => 'not-a-jwt' },
    );
    assert.ok(!outcome.ok);
    assert.ok(outcome.error instanceof NotAvailableInCloudError, outcome.error.constructor.name);
    assert.equal(outcome.error.cloud, 'china');
    assert.doesNotMatch(explain(outcome.error, CATALOG.decideRoleApproval).what, /unknown/);
    assert.deepEqual(sent, ['GET'], 'nothing was written');
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.errorCode, 'NOT_AVAILABLE_IN_CLOUD');
    assert.equal(audit[0]?.graphStatus, 400, 'Graph answered: its status is in the audit line (contract §6)');
  });
});
