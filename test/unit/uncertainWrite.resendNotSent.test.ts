// After a write whose answer was lost (a 5xx: its outcome is unknown,
// https://learn.microsoft.com/en-us/graph/errors#http-status-codes), the item read still open is
// sent once more as a re-send (src/domain/uncertainWrite.ts). A re-send the gateway does not send
// (NotSentError: no time left for it to be answered) changes nothing of the first write, which went
// out: its unknown outcome is what the person is told, never "not sent". The re-send names itself
// (`resend`), so the gateway does not read again what the read before a decision told before the
// first send.

import { strict as assert } from 'node:assert';
import { NO_GRAPH, NotSentError, UpstreamError } from '../../src/domain/errors';
import type { GraphPort } from '../../src/domain/governancePorts';
import type { GraphCall } from '../../src/domain/lastAnswer';
import type { Target } from '../../src/domain/operations';
import { recoverAfterUncertainWrite } from '../../src/domain/uncertainWrite';
import { Attempts, MAX_ATTEMPTS } from '../../src/domain/attempts';

const target: Target = {
  operation: 'decideRoleApproval',
  decision: 'approve',
  ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', stageId: '7f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' },
};

describe('the re-send after a lost answer', () => {
  it('names itself a re-send, and one not sent leaves the first write’s unknown outcome told', async () => {
    const calls: GraphCall[] = [];
    const graph = {
      readState: async () => ({ state: 'InProgress', item: {}, graph: NO_GRAPH }),
      write: async (_t: Target, _token: unknown, call: GraphCall = {}) => {
        calls.push(call);
        throw new NotSentError('too little time left to send it');
      },
    } as unknown as GraphPort;
    const first = new UpstreamError('Microsoft Graph did not answer.');
    const now = Date.now();
    await assert.rejects(
      recoverAfterUncertainWrite(
        { graph, now: () => now, left: () => undefined, sleep: async () => undefined },
        first,
        target,
        { aadObjectId: 'u1', getToken: async () => 'token' },
        now,
      ),
      (e: unknown) => e === first,
    );
    assert.equal(calls.length, 1, 'one re-send');
    assert.equal(calls[0]?.resend, true);
  });
});

// Contract §4: "at most 5 attempts within 30 s" for one logical call; the re-send is the same write.
// https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling
describe('no re-send and no read without an attempt or time left', () => {
  const fakeGraph = (reads: unknown[], writes: unknown[]) =>
    ({
      readState: async (_t: Target, _token: unknown, call: GraphCall = {}) => {
        reads.push(call);
        return { state: 'InProgress', item: {}, graph: NO_GRAPH };
      },
      write: async (_t: Target, _token: unknown, call: GraphCall = {}) => {
        writes.push(call);
        return NO_GRAPH;
      },
    }) as unknown as GraphPort;
  const actor = { aadObjectId: 'u1', getToken: async () => 'token' };

  it('the first write’s sends took all 5 attempts: the item is read, nothing is sent again', async () => {
    const reads: unknown[] = [];
    const writes: unknown[] = [];
    const attempts = new Attempts();
    for (let i = 0; i < MAX_ATTEMPTS; i++) attempts.count(1_000);
    const first = new UpstreamError('Microsoft Graph did not answer.');
    await assert.rejects(
      recoverAfterUncertainWrite(
        { graph: fakeGraph(reads, writes), now: () => 2_000, left: () => undefined, attempts },
        first,
        target,
        actor,
        1_000,
      ),
      (e: unknown) => e === first,
    );
    assert.equal(reads.length, 1, 'the read that finds it still open');
    assert.equal(writes.length, 0, 'no sixth attempt');
  });

  it('no time left of the operation: neither a read nor a re-send is made', async () => {
    const reads: unknown[] = [];
    const writes: unknown[] = [];
    const first = new UpstreamError('Microsoft Graph did not answer.');
    await assert.rejects(
      recoverAfterUncertainWrite(
        { graph: fakeGraph(reads, writes), now: () => 2_000, left: () => 0 },
        first,
        target,
        actor,
        1_000,
      ),
      (e: unknown) => e === first,
    );
    assert.deepEqual([reads.length, writes.length], [0, 0]);
  });
});
