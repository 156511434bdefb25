// "approve role-request <id>" typed by someone who is not an approver of the request's current
// stage answered "You are not an approver of this request’s current stage. Its approvers can still
// decide here." In a typed command's answer "here" is the person's own chat, where the stage's
// approvers decide nothing; the same words answer a card press. They now say the approvers can
// still decide it, which holds for both. The stage's approvers are named by its policy:
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { APPROVAL_STATES } from '../../src/domain/catalog/approvalView';
import { NotForReaderError } from '../../src/domain/errors';
import { CATALOG } from '../../src/domain/operations';

describe('approvals: not an approver of the current stage', () => {
  for (const op of ['decideRoleApproval', 'decideGroupApproval', 'decideAccessPackageApproval'] as const) {
    it(`${op}: says the approvers can still decide it, not "here"`, () => {
      const told = CATALOG[op].read.notForReader?.[APPROVAL_STATES.notMine] ?? '';
      assert.equal(told, 'You are not an approver of this request’s current stage. Its approvers can still decide it.');
      const words = explain(new NotForReaderError(told, APPROVAL_STATES.notMine), CATALOG[op]);
      assert.doesNotMatch(`${words.what} ${words.next}`, /\bhere\b/);
    });
  }
});
