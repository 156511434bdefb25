// GovernanceService over the real Graph gateway against the simulated tenant: a resume asked as
// completed meets a 504 after a colleague rejected the same task; the read that follows reports the
// colleague's decision, never a confirmed approval, and nothing is re-sent blindly.

import { strict as assert } from 'node:assert';
import { DecidedElsewhereError } from '../../src/domain/errors';
import { AuditLine, GovernanceService } from '../../src/domain/governance';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { delegatedToken } from '../fixtures/tenantClient';

describe('GovernanceService', () => {
  describe('against the simulated tenant', () => {
    const BASE = 'https://127.0.0.1:9443';

    const tokenOf = (tenant: SimulatedTenant, seed: DemoSeed, userIndex: number): string =>
      delegatedToken(tenant, seed, userIndex, BASE);

    it('a resume asked as completed that went unanswered while a colleague rejected it is reported, not confirmed', async () => {
      const seed = loadDemoSeed();
      const tenant = new SimulatedTenant(seed);
      const inner = tenantFetch(tenant, BASE);
      const mine = tokenOf(tenant, seed, 0);
      const colleague = tokenOf(tenant, seed, 5);
      let raced = false;
      // The colleague's resume (as failed) lands first; ours then meets a 504 from Graph's front
      // door, so the bot cannot tell whether its own write took effect.
      const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const url = input instanceof Request ? input.url : String(input);
        if (!raced && init?.method === 'POST' && url.endsWith('/resume')) {
          raced = true;
          const theirs = await inner(url, {
            method: 'POST',
            headers: { authorization: `Bearer ${colleague}`, 'content-type': 'application/json' },
            body: JSON.stringify({ data: { operationStatus: 'failed' }, source: 'colleague', type: 'lifecycleEvent' }),
          });
          assert.equal(theirs.status, 204);
          tenant.injectFault({ method: 'POST', pathIncludes: '/resume', status: 504 });
        }
        return inner(input, init);
      };
      const gateway = new GraphGateway({ graphEndpoint: BASE, fetch, sleep: async () => undefined });
      const lines: AuditLine[] = [];
      const svc = new GovernanceService({
        cloud: 'global',
        graph: gateway,
        audit: (l) => lines.push(l),
        newId: () => 'c',
      });
      const e = seed.examples;
      const target: Target = {
        operation: 'resumeTask',
        ids: { workflowId: e.taskWorkflowId, taskId: e.taskId, taskProcessingResultId: e.taskProcessingResultId },
        decision: 'completed',
      };
      const outcome = await svc.perform(target, { aadObjectId: seed.users[0]!.id, getToken: async () => mine });
      assert.ok(!outcome.ok, 'never "Approved ... confirmed" over a rejection');
      assert.ok(outcome.error instanceof DecidedElsewhereError);
      assert.equal(outcome.error.currentState.toLowerCase(), 'failed');
      assert.ok(outcome.error.decidedAt, 'the read says when it finished');
      assert.equal(lines[0]?.errorCode, 'DECIDED_ELSEWHERE');
      assert.equal(lines[0]?.decision, 'completed');
      const resumes = tenant.graphRequests().filter((r) => r.method === 'POST');
      assert.equal(resumes.length, 2, "the colleague's resume and ours; no blind re-send");
    });
  });
});
