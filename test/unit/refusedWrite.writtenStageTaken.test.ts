// A typed approval whose stage another approver of it decided between the bot's read and its PATCH:
// Graph answers 409 ("If the request has already been approved by another approver in the same
// approval stage, the method returns 409 Conflict",
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0). When the
// approver's next stage is open by the read after it, that read lists the stage written with its
// reviewer (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0):
// the answer names who decided it and says the next stage waits for them, never "is InProgress, so
// it cannot be changed this way".

import { strict as assert } from 'node:assert';
import { DecidedElsewhereError, InvalidStateError } from '../../src/domain/errors';
import type { GraphPort, StateRead } from '../../src/domain/governancePorts';
import type { Target } from '../../src/domain/operations';
import { withCurrentState } from '../../src/domain/refusedWrite';
import { approvalViewOf } from '../../src/domain/catalog/approvalView';
import { explain } from '../../src/cards/wording';
import { CATALOG } from '../../src/domain/operations';

const ME = '0b6a6b2a-9b3e-4a2e-8f3e-2f1c8a9d7e61';
const ADELE = '1a2b3c4d-5e6f-4a70-8b91-a2b3c4d5e6f7';
const S1 = '7f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const S2 = '8a2d3b4c-5e6f-4a71-9b8c-0d1e2f3a4b5c';
const target: Target = {
  operation: 'decideRoleApproval',
  decision: 'approve',
  ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', stageId: S1 },
};

it('a 409 on the stage written, the approver’s next stage open: who decided it, and what waits', async () => {
  const view = approvalViewOf(
    {
      steps: [
        {
          id: S1,
          assignedToMe: true,
          status: 'Completed',
          reviewResult: 'Approved',
          reviewedBy: [{ id: ADELE, displayName: 'Adele Vance', userPrincipalName: null }],
          reviewedDateTime: '2026-07-01T09:05:00Z',
        },
        { id: S2, assignedToMe: true, status: 'InProgress', reviewResult: 'NotReviewed', reviewedBy: [] },
      ],
    },
    'steps',
  );
  const read: StateRead = { state: view.state, item: { ...view }, graph: { status: 200, requestId: 'r' } };
  const graph = { readState: async () => read } as unknown as GraphPort;
  const refused = new InvalidStateError('Conflict', null, { status: 409, requestId: 'w' });
  const told = await withCurrentState(graph, refused, target, { aadObjectId: ME, getToken: async () => 't' }, {});
  assert.ok(told instanceof DecidedElsewhereError, `${told.constructor.name}: ${String(told.message)}`);
  assert.equal(told.decidedBy, 'Adele Vance');
  const words = explain(told, CATALOG.decideRoleApproval, target, 'commandAlone');
  const all = `${words.title} ${words.what} ${words.next}`;
  assert.match(all, /already Approved by Adele Vance/, all);
  assert.match(all, /now waits for your decision/, all);
  assert.doesNotMatch(all, /InProgress/, all);
});
