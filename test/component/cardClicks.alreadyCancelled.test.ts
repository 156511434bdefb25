// A second press on a card whose item is already cancelled, when the bot holds no outcome of its
// own for it: Graph's state is all it has. Graph spells that state "Canceled" (PIM's status) or
// "canceled" (entitlement management's state); every other card of the bot says "Cancelled by …",
// so this one says "cancelled" too. And Graph's read names nobody who cancelled it: it may have been
// this same user in the chat, so the answer does not claim it happened "elsewhere".
// https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0
//   (status: "Canceled")
// https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0
//   (state: "canceled")

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

describe('card click on an item already cancelled', () => {
  let r: Rig;
  rigPerTest((rig) => {
    r = rig;
  });

  it('cancelled in the chat by the same user, then Cancel pressed on its card: "Already cancelled", not "elsewhere"', async () => {
    const megan = r.user(0);
    const id = r.seed.selfService.roleRequestIds[0]!;
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: id } };
    await r.postCard(megan, 'card-own', target);
    const typed = await r.message(megan, `cancel role-request ${id}`);
    assert.match(JSON.stringify(typed.sent), /Cancelled/);
    assert.equal(r.tenant.getRoleRequest(id)?.status, 'Canceled');
    const pressed = JSON.stringify((await r.click(megan, target, 'card-own')).body.value);
    assert.doesNotMatch(pressed, /elsewhere/, pressed);
    assert.doesNotMatch(pressed, /Canceled/, pressed);
    assert.match(pressed, /[Cc]ancelled/, pressed);
  });

  for (const c of [
    { operation: 'cancelRoleRequest', id: '95c690fb-3eb3-4942-a03f-4524aed6f323' },
    { operation: 'cancelGroupRequest', id: 'f4b57a8c-da56-4ae0-8aef-65c3a043dab7' },
    { operation: 'cancelAccessPackageRequest', id: '7999249e-249e-7999-9e24-99799e24997e' },
  ] as const) {
    it(`${c.operation}: a seed request cancelled before the bot saw it says "Already cancelled", in the project's spelling`, async () => {
      const megan = r.user(0);
      const target: Target = { operation: c.operation, ids: { requestId: c.id } };
      await r.postCard(megan, 'card-seed', target);
      const pressed = JSON.stringify((await r.click(megan, target, 'card-seed')).body.value);
      assert.match(pressed, /Already cancelled; nothing more to do/, pressed);
      assert.doesNotMatch(pressed, /elsewhere/, pressed);
    });
  }
});
