// A read Graph answers 503 is backed off and sent again, as a 429 is; a write is not. Graph's best
// practices: for a 503 "employ a back-off strategy similar to 429". The chain retried only 429, so
// one busy moment of the service failed the state read (and with it the recovery read after an
// unanswered write, or a list) at once.
// https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors
// https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling

import { strict as assert } from 'node:assert';
import { UpstreamError } from '../../src/domain/errors';
import { Target } from '../../src/domain/operations';
import { scriptedGateway } from '../fixtures/scriptedGateway';

const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' } };
const token = () => Promise.resolve('not-a-jwt');

const rig = scriptedGateway;

const busy = (retryAfter?: string) => () =>
  new Response('{"error":{"code":"serviceNotAvailable","message":"busy"}}', {
    status: 503,
    headers: retryAfter ? { 'retry-after': retryAfter } : {},
  });
const found = () =>
  new Response(JSON.stringify({ id: target.ids.requestId, status: 'PendingApproval' }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

describe('Graph reads after a 503', () => {
  it('sends a read again after its Retry-After, with the same client-request-id', async () => {
    const { gateway, sent } = rig([busy('3'), found]);
    const read = await gateway.readState(target, token);
    assert.equal(read.state, 'PendingApproval');
    assert.equal(sent.length, 2);
    assert.equal(sent[1]!.at - sent[0]!.at, 3_000, 'waited the Retry-After');
    assert.equal(sent[1]!.crid, sent[0]!.crid, 'retries of one call share its client-request-id');
  });

  it('backs a read off without a Retry-After too', async () => {
    const { gateway, sent } = rig([busy(), found]);
    assert.equal((await gateway.readState(target, token)).state, 'PendingApproval');
    assert.equal(sent.length, 2);
    assert.ok(sent[1]!.at - sent[0]!.at >= 1_000, 'not re-sent at once');
  });

  it('never sends a write again after a 503', async () => {
    const { gateway, sent } = rig([busy('1'), () => new Response(null, { status: 204 })]);
    await assert.rejects(gateway.write(target, token), (e: unknown) => e instanceof UpstreamError);
    assert.deepEqual(
      sent.map((s) => s.method),
      ['POST'],
    );
  });
});
