// The ended card (cardEnded.ts) after a press whose read naming the approver's stage Graph refused
// (namedStage.ts: a 501, or a 4xx such as 405 or 422). On a card that keeps its buttons those words
// send the approver to decide elsewhere ("Decide this one in My Access", or in the Entra admin
// center for a PIM approval). Past the approval's moment there is nothing left to decide anywhere:
// an access package stage still pending then is denied automatically
// (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage), and a PIM request
// not approved within its 24 hours expires
// (https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// The ended card says what happened, not where to decide.

import { strict as assert } from 'node:assert';
import { keptNotice } from '../../src/bot/cardEnded';
import { stageReadFailed } from '../../src/domain/namedStage';
import { DomainError, RefusedByGraphError } from '../../src/domain/errors';
import type { Target } from '../../src/domain/operations';

const ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const ELSEWHERE = /Decide this one|My Access|admin center|Approve or deny it/;

describe('ended card: a press whose stage read Graph refused', () => {
  for (const operation of ['decideAccessPackageApproval', 'decideRoleApproval', 'decideGroupApproval']) {
    it(`says the decision was not sent, and sends no one to decide elsewhere (${operation})`, () => {
      const target = {
        operation,
        ids: { requestId: ID },
        decision: 'approve',
        endsAt: Date.UTC(2026, 2, 18, 8, 30),
      } as unknown as Target;
      const refused = new RefusedByGraphError('Microsoft Graph refused the request (HTTP 422).', {
        status: 422,
        requestId: 'r-1',
        errorCode: null,
      });
      const error = stageReadFailed(refused, target) as DomainError;
      const text = keptNotice(target, { kind: 'failed', error });
      assert.match(text, /your decision was not sent/, text);
      assert.doesNotMatch(text, ELSEWHERE, text);
    });
  }
});
