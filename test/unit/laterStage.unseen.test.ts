// Which earlier stage of the clicker's a card click did not see (laterStage.ts): the stage named by
// the button (afterStage) and those before it were seen; on a card read from Graph after a stage was
// decided (a list posted later), that stage was seen too, allowing for Graph's clock and whole
// seconds. Graph lists each stage with who approved it and when
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).

import { strict as assert } from 'node:assert';
import { Click } from '../../src/domain/click';
import { READ_CLOCK_MARGIN_MS, unseenOwnStage } from '../../src/domain/laterStage';

const LYNNE = '5a1c3e0b-1111-4a2b-9c3d-000000000005';
const S1 = '11111111-1111-4111-8111-111111111111';
const AT = '2026-03-02T09:05:00Z';

function click(extra: Partial<Click> = {}): Click {
  return {
    target: { operation: 'decideAccessPackageApproval', ids: { requestId: S1 }, decision: 'approve' },
    conversationId: 'c',
    cardActivityId: 'card',
    actor: { aadObjectId: LYNNE, getToken: () => Promise.resolve('t') },
    userName: 'Lynne Robbins',
    audit: {},
    ...extra,
  };
}
const item = { decidedBefore: [{ stageId: S1, byId: LYNNE.toUpperCase(), byName: 'Lynne Robbins', at: AT }] };

describe('laterStage: the clicker’s earlier stage a click did not see', () => {
  it('a button that names no stage did not see the clicker’s earlier decision', () => {
    assert.equal(unseenOwnStage(click(), item)?.stageId, S1);
  });

  it('a button naming that stage saw it', () => {
    const seen = click({ target: { ...click().target, afterStage: S1 } });
    assert.equal(unseenOwnStage(seen, item), null);
  });

  it('a card read from Graph well after the decision saw it; one read about when it was made did not', () => {
    const at = Date.parse(AT);
    assert.equal(unseenOwnStage(click({ cardReadAt: at + 60_000 }), item), null);
    assert.equal(unseenOwnStage(click({ cardReadAt: at + READ_CLOCK_MARGIN_MS }), item)?.stageId, S1);
    assert.equal(unseenOwnStage(click({ cardReadAt: at - 1_000 }), item)?.stageId, S1);
  });
});
