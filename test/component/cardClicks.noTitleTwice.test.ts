// The card a press answers the presser with (their own request, not their stage, a refusal, a
// write still with Graph) showed the card's title twice: "Decide a PIM role request" in bold and,
// as its text, "Decide a PIM role request." The click carries only the item (its button data), not
// the notification's words, so that line said nothing; the card now shows the title once, the
// item's ids and the notice. Universal Actions: the invoke's answer is the card the presser sees.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { buttonsOf } from '../fixtures/cardButtons';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

/** Every text a person reads on a card, in order. */
function texts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => texts(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if ((o.type === 'TextRun' || o.type === 'TextBlock') && typeof o.text === 'string') out.push(o.text);
    Object.values(o).forEach((v) => texts(v, out));
  }
  return out;
}

describe('a press answered for the presser alone shows the card title once', () => {
  let r: Rig;
  rigPerTest((rig) => {
    r = rig;
  });

  it('own request: the title, the ids and why; not the title again as its text', async () => {
    const megan = r.user(0);
    const target: Target = {
      operation: 'decideRoleApproval',
      ids: { requestId: r.seed.selfService.adminSelfApprovalRequestId },
      decision: 'approve',
    };
    await r.postCard(megan, 'card-own', target);
    const answer = await r.click(megan, target, 'card-own');
    assert.equal(answer.status, 200);
    const shown = texts(answer.body.value);
    assert.ok(
      shown.some((t) => /your own request/i.test(t)),
      shown.join(' | '),
    );
    assert.equal(shown.filter((t) => /^Decide a PIM role request\.?$/.test(t)).length, 1, shown.join(' | '));
    assert.ok(!shown.includes(''), 'no empty line');
  });

  // "Approvers aren't able to approve their own role activation requests": no later press of this
  // presser can decide it, so their copy offers no Approve or Deny (the others' copies keep theirs).
  // https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow
  it('own request: the presser’s copy offers no Approve or Deny it could never act on', async () => {
    const megan = r.user(0);
    const target: Target = {
      operation: 'decideRoleApproval',
      ids: { requestId: r.seed.selfService.adminSelfApprovalRequestId },
      decision: 'approve',
    };
    await r.postCard(megan, 'card-own', target);
    const answer = await r.click(megan, target, 'card-own');
    assert.match(JSON.stringify(answer.body.value), /your own request/i);
    assert.deepEqual(buttonsOf(answer.body.value), []);
    assert.equal(r.tenant.graphRequests().filter((q) => q.method === 'PATCH').length, 0);
  });
});
