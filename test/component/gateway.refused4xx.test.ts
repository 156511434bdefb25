// A write Graph answers with a client error the bot has no other meaning for (405 Method Not
// Allowed, 412, 413, 415, 422, ...) was refused: Graph did not act on it
// (https://learn.microsoft.com/graph/errors#http-status-codes). It was taken for a write whose
// answer was lost, like a 5xx: the bot read the item, sent the same write again (refused again)
// and told the person to check whether it had taken effect "so it is not changed twice".

import { strict as assert } from 'node:assert';
import { RefusedByGraphError } from '../../src/domain/errors';
import { AuditLine, GovernanceService } from '../../src/domain/governance';
import { CATALOG, Target } from '../../src/domain/operations';
import { explain } from '../../src/cards/wording';
import { GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' } };
const actor = { aadObjectId: 'u1', getToken: () => Promise.resolve('not-a-jwt') };

describe('a write Graph refused with a 4xx', () => {
  for (const status of [405, 412, 415, 422]) {
    it(`${status}: sent once, no read-and-re-send, and told that nothing changed`, async () => {
      const sent: string[] = [];
      const lines: AuditLine[] = [];
      const gateway = new GraphGateway({
        graphEndpoint: BASE,
        sleep: () => Promise.resolve(),
        fetch: (_url, init) => {
          sent.push((init?.method ?? 'GET').toUpperCase());
          const body = JSON.stringify({ error: { code: 'Request_BadRequest', message: 'Refused.' } });
          return Promise.resolve(
            new Response(body, { status, headers: { 'content-type': 'application/json', 'request-id': 'r-1' } }),
          );
        },
      });
      const service = new GovernanceService({
        cloud: 'global',
        graph: gateway,
        audit: (l) => lines.push(l),
        newId: () => 'c1',
      });
      const outcome = await service.perform(target, actor);
      assert.ok(!outcome.ok);
      assert.deepEqual(sent, ['POST'], 'no read, no second write');
      assert.ok(outcome.error instanceof RefusedByGraphError, outcome.error.constructor.name);
      assert.equal(lines[0]?.errorCode, 'UPSTREAM');
      assert.equal(lines[0]?.graphStatus, status);
      const words = JSON.stringify(explain(outcome.error, CATALOG[target.operation]));
      assert.match(words, /Nothing was changed/);
      assert.doesNotMatch(words, /may or may not|changed twice/);
    });
  }
});
