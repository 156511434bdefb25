// Graph's error envelope carries the request-id in its body too, `innerError.request-id`
// (https://learn.microsoft.com/graph/errors, graph-reference §10.1), and the audit line's
// graphRequestId is the one a support case asks for (contract §6). An error answer with the
// body's request-id and no `request-id` header was audited with graphRequestId null: the log of
// the command's last answer took the header alone.

import { strict as assert } from 'node:assert';
import { AuditLine, GovernanceService } from '../../src/domain/governance';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const BODY_RID = '93b6f17e-c05d-4f45-ad2a-6665c708d8a0';
const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' } };
const actor = { aadObjectId: 'u1', getToken: () => Promise.resolve('not-a-jwt') };

async function auditOf(
  status: number,
  headers: Record<string, string>,
): Promise<{ line: AuditLine | undefined; exchanges: (string | null)[] }> {
  const lines: AuditLine[] = [];
  const exchanges: (string | null)[] = [];
  const gateway = new GraphGateway({
    graphEndpoint: BASE,
    sleep: () => Promise.resolve(),
    onExchange: (x) => exchanges.push(x.requestId),
    fetch: () =>
      Promise.resolve(
        new Response(
          JSON.stringify({
            error: {
              code: 'RequestNotFound',
              message: 'Not found.',
              innerError: { date: '2025-02-13T10:17:06', 'request-id': BODY_RID, 'client-request-id': 'c' },
            },
          }),
          { status, headers: { 'content-type': 'application/json', ...headers } },
        ),
      ),
  });
  const service = new GovernanceService({
    cloud: 'global',
    graph: gateway,
    audit: (l) => lines.push(l),
    newId: () => 'c1',
  });
  const outcome = await service.perform(target, actor);
  assert.ok(!outcome.ok);
  assert.equal(outcome.error.graph.requestId, headers['request-id'] ?? BODY_RID);
  return { line: lines[0], exchanges };
}

describe('the audit line of an error answer whose request-id is in its body only', () => {
  it('takes innerError.request-id when the request-id header is missing', async () => {
    const { line, exchanges } = await auditOf(404, {});
    assert.equal(line?.errorCode, 'NOT_FOUND');
    assert.equal(line?.graphStatus, 404);
    assert.equal(line?.graphRequestId, BODY_RID);
    assert.deepEqual(exchanges, [BODY_RID], 'the exchange log line too');
  });

  it('keeps the header when Graph sends both', async () => {
    const { line, exchanges } = await auditOf(404, { 'request-id': 'hdr-rid' });
    assert.equal(line?.graphRequestId, 'hdr-rid');
    assert.deepEqual(exchanges, ['hdr-rid']);
  });
});
