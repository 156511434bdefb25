// A press that loses the race to another approver (Graph refuses the PATCH with 409: "already been
// approved by another approver in the same approval stage" or the stage already decided,
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0) was not
// applied because the approval was decided already: its notice is yellow (warning), as the typed
// answer to the same race is (outcomeWording.ts) and as a press whose read found it decided is
// (clickOutcomes.ts), not the red of a failure. A refusal that is a failure stays red.
// Container styles: https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/card-schema

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { lynneDeniesBeforePatch } from '../fixtures/lostRace';

const text = (x: unknown): string => JSON.stringify(x);
/** The style of the card's notice container (the only container with bleed in the item card). */
const noticeStyleOf = (body: unknown): string | undefined => /"style":"(\w+)","bleed":true/.exec(text(body))?.[1];

describe('a pressed decision that lost the race to another approver', () => {
  let dir: string;
  let r: Rig | null = null;
  beforeEach(() => {
    dir = Rig.dir();
  });
  afterEach(async () => {
    await r?.close();
    r = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says who decided first on a yellow notice, as the typed answer does', async () => {
    r = new Rig(dir, { silent: true });
    const rig = r;
    const megan = rig.user(0);
    const id = rig.seed.examples.accessApprovalId;
    const approve: Target = { operation: 'decideAccessPackageApproval', decision: 'approve', ids: { requestId: id } };
    await rig.postCard(megan, 'card-race', approve);
    // Lynne decides between Megan's read of the stage and her PATCH.
    lynneDeniesBeforePatch(rig, id);
    const { body } = await rig.click(megan, approve, 'card-race');
    const patches = rig.tenant.graphRequests().filter((q) => q.method === 'PATCH');
    assert.equal(patches.at(-1)?.status, 409);
    assert.match(text(body), /already Denied by Lynne Robbins at 09:07 UTC on 2026-03-02/);
    assert.equal(noticeStyleOf(body), 'warning', text(body));
  });
});
