// A lost decision, and the read shows the stage decided by an application, not a person. A
// reviewer may come as an identity set, whose members are `user`, `application` and `device`
// (https://learn.microsoft.com/en-us/graph/api/resources/identityset?view=graph-rest-1.0): an
// application named there is not the reader, so its decision never proves the reader's lost write
// ("confirmed it took effect"); it is told as a decision by someone else, by the name Graph gives.

import { strict as assert } from 'node:assert';
import { DecidedElsewhereError, NO_GRAPH, UpstreamError } from '../../src/domain/errors';
import type { GraphPort, StateRead } from '../../src/domain/governancePorts';
import type { Target } from '../../src/domain/operations';
import { recoverAfterUncertainWrite } from '../../src/domain/uncertainWrite';
import { personIdAt } from '../../src/domain/itemFields';

const ME = '0b6a6b2a-9b3e-4a2e-8f3e-2f1c8a9d7e61';
const APP = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const STAGE = '7f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const target: Target = {
  operation: 'decideAccessPackageApproval',
  decision: 'approve',
  ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', stageId: STAGE },
};
const byApp = { user: null, device: null, application: { id: APP, displayName: 'Contoso Automation' } };

async function recover(read: StateRead) {
  const graph = { readState: async () => read, write: async () => NO_GRAPH } as unknown as GraphPort;
  const now = Date.now();
  const first = new UpstreamError('Microsoft Graph did not answer in time.', { status: null, requestId: null });
  return recoverAfterUncertainWrite(
    { graph, now: () => now, left: () => undefined, sleep: async () => undefined },
    first,
    target,
    { aadObjectId: ME, getToken: async () => 'token' },
    now,
  ).then(
    (r) => ({ r, error: null as unknown }),
    (error: unknown) => ({ r: null, error }),
  );
}

describe('a lost approval, the stage found decided by an application', () => {
  it('names the application, not nobody', () => {
    assert.equal(personIdAt({ by: byApp }, 'by'), APP);
    assert.equal(personIdAt({ by: [byApp] }, 'by'), APP);
    assert.equal(personIdAt({ by: { user: { id: ME }, application: byApp.application } }, 'by'), ME);
  });

  it('is not taken for the reader’s own approval', async () => {
    const read: StateRead = {
      state: 'Approved',
      item: { state: 'Approved', stageId: STAGE, decidedBy: byApp, decidedAt: '2026-07-01T09:05:00Z' },
      graph: { status: 200, requestId: 'read-1' },
    };
    const { r, error } = await recover(read);
    assert.equal(r, null, 'never "reading the item confirmed it took effect"');
    assert.ok(error instanceof DecidedElsewhereError, String(error));
    assert.equal(error.decidedBy, 'Contoso Automation');
    assert.equal(error.byAsker, false);
  });
});
