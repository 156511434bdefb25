// An approver who decides a stage they already decided is told so, and what is left. Only an
// approved stage with a stage after it leaves the request waiting for someone else: a denial
// "settles" the request (no later stage asks anyone), and so does the approval of a last stage
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0;
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0). The answer
// must not send them to look for a "next stage" that does not exist.

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);

describe('approvals through the bot: deciding one’s own decided stage again', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), { silent: true });

  it('deny twice: the second answer names no next stage (a denial ends the request)', async () => {
    const megan = r.user(0);
    const id = r.seed.examples.roleApprovalId;
    const first = await r.message(megan, `deny role-request ${id} Not this quarter`);
    assert.match(text(first.sent), /Denied your stage/);
    const again = await r.message(megan, `deny role-request ${id} Not this quarter`);
    const words = text(again.sent);
    assert.match(words, /You already decided this/);
    assert.match(words, /already Denied by you/);
    assert.doesNotMatch(words, /next stage/, words);
  });

  it('approve a single-stage request twice: the second answer names no next stage', async () => {
    const megan = r.user(0);
    // 7999249e-…249985: one stage, Megan Bowen and Lynne Robbins (seed approvalStages).
    const id = '7999249e-249e-7999-9e24-99799e249985';
    const first = await r.message(megan, `approve access-request ${id} Confirmed`);
    assert.match(text(first.sent), /Approved your stage/);
    assert.doesNotMatch(text(first.sent), /next stage/, 'the request had one stage');
    const again = await r.message(megan, `approve access-request ${id} Confirmed`);
    const words = text(again.sent);
    assert.match(words, /already Approved by you/);
    assert.doesNotMatch(words, /next stage/, words);
  });

  it('approve the first of two stages twice: the second answer still points at the stage that waits', async () => {
    // 95c690fb-…f32b: stage 1 Megan Bowen, stage 2 Lynne Robbins (seed approvalStages).
    const megan = r.user(0);
    const id = '95c690fb-3eb3-4942-a03f-4524aed6f32b';
    const first = await r.message(megan, `approve role-request ${id} Confirmed`);
    assert.match(text(first.sent), /Approved your stage/);
    const again = await r.message(megan, `approve role-request ${id} Confirmed`);
    const words = text(again.sent);
    assert.match(words, /already Approved by you/);
    assert.match(words, /next stage seems stuck/, words);
  });
});
