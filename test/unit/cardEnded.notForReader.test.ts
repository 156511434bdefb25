// The ended card (cardEnded.ts) after a press that met "not yours to decide" (the presser is not an
// approver of the current stage) answered after the approval's moment. On a card that keeps its
// buttons the words add that the stage's approvers "can still decide it"; the ended card has no
// button and says "Approve and Deny are no longer offered here", and past the moment a stage still
// pending is denied automatically
// (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage): it must not say both.

import { strict as assert } from 'node:assert';
import { endedCard, keptNotice } from '../../src/bot/cardEnded';
import { APPROVAL_STATES } from '../../src/domain/catalog/approvalView';
import { CATALOG, Target } from '../../src/domain/operations';
import type { ReplyCards } from '../../src/bot/replies';

const ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

describe('ended card: a press that was not the presser’s to decide', () => {
  for (const operation of ['decideAccessPackageApproval', 'decideRoleApproval', 'decideGroupApproval'] as const) {
    it(`offers no decision "here" beside "no longer offered here" (${operation})`, () => {
      const target = { operation, ids: { requestId: ID }, decision: 'approve', endsAt: Date.UTC(2026, 2, 18, 8, 30) };
      const told = CATALOG[operation].read.notForReader?.[APPROVAL_STATES.notMine];
      assert.ok(told, 'the catalog words the approver of another stage');
      const before = keptNotice(target as unknown as Target, { kind: 'notYours', text: told });
      assert.match(before, /not an approver of this request’s current stage/);
      let notice = '';
      const cards = {
        item: (_t: unknown, view: { notice: string }) => {
          notice = view.notice;
          return { attachment: { contentType: 'x', content: {} }, summary: '' };
        },
      } as unknown as ReplyCards;
      endedCard(cards, target as unknown as Target, before);
      assert.match(notice, /no longer offered here|nothing left to approve or deny here/, notice);
      assert.doesNotMatch(notice, /can still decide/, notice);
    });
  }
});
