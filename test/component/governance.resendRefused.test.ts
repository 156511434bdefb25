// A write left unanswered (a 503) is read, found still open, and sent once more. When Graph
// refuses that re-send with a plain 4xx (https://learn.microsoft.com/graph/errors#http-status-codes),
// only the re-send is known to have been refused: the first write may still land (the read can
// lag it), so the person must not be told "nothing was changed"; the first write's outcome is
// what is unknown.

import { strict as assert } from 'node:assert';
import { RefusedByGraphError, UpstreamError } from '../../src/domain/errors';
import { AuditLine, GovernanceService } from '../../src/domain/governance';
import { CATALOG, Target } from '../../src/domain/operations';
import { explain } from '../../src/cards/wording';
import { GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' } };
const actor = { aadObjectId: 'u1', getToken: () => Promise.resolve('not-a-jwt') };
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const pending = () => json(200, { id: target.ids.requestId, status: 'PendingApproval' });

describe('a re-send after an unanswered write that Graph refuses with a 4xx', () => {
  it('tells that the first write may or may not have taken effect, never that nothing changed', async () => {
    const answers = [
      () => json(503, { error: { code: 'serviceNotAvailable', message: 'busy' } }),
      pending,
      () => json(422, { error: { code: 'UnprocessableEntity', message: 'Refused.' } }),
      pending,
    ];
    const sent: string[] = [];
    const lines: AuditLine[] = [];
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      sleep: () => Promise.resolve(),
      fetch: (_url, init) => {
        sent.push((init?.method ?? 'GET').toUpperCase());
        return Promise.resolve((answers.shift() ?? (() => new Response(null, { status: 500 })))());
      },
    });
    const service = new GovernanceService({
      cloud: 'global',
      graph: gateway,
      audit: (l) => lines.push(l),
      newId: () => 'c1',
    });
    const outcome = await service.perform(target, actor);
    assert.deepEqual(sent, ['POST', 'GET', 'POST', 'GET'], 'write, read, one re-send, last read');
    assert.ok(!outcome.ok);
    assert.ok(outcome.error instanceof UpstreamError);
    assert.ok(!(outcome.error instanceof RefusedByGraphError), 'the first write is still unaccounted for');
    const words = JSON.stringify(explain(outcome.error, CATALOG[target.operation]));
    assert.match(words, /may or may not/);
    assert.doesNotMatch(words, /Nothing was changed/);
    assert.equal(lines[0]?.errorCode, 'UPSTREAM');
  });
});
