// A reader's "not found" is that reader's view, not the item's end. Graph answers 404 to a read of
// an item that is gone, but also of one the reader may not see and of one created a moment ago
// that is not yet readable everywhere (the gateway words it "no longer exists, or you cannot see
// it", graphErrors.ts). One reader's 404 must therefore neither replace the shared card for
// everyone nor take its buttons away: the clicker is told, the card stays for the others.
// Graph's 404 for a PIM request read by id:
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-get?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

describe('card clicks: one reader’s not-found', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig));

  const notFound = () =>
    Promise.resolve(
      new Response(JSON.stringify({ error: { code: 'ResourceNotFound', message: 'refused by the test' } }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      }),
    );

  it('tells the clicker only, keeps the buttons, and a later click still acts', async () => {
    const megan = r.user(0);
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.signIn(megan);
    await r.postCard(megan, 'card-1', target);
    let once = true;
    r.hold = (req) => {
      if (req.method !== 'GET' || !once) return null;
      once = false;
      return notFound();
    };

    const first = await r.click(megan, target, 'card-1');
    assert.equal(first.status, 200);
    const shown = JSON.stringify(first.body.value);
    assert.match(shown, /no longer exists, or you cannot see it/);
    assert.match(shown, /Cancel/, `the clicker's card keeps its button: ${shown}`);
    assert.equal(r.updates.length, 0, 'the card is not replaced for everyone');
    assert.equal(r.writes().length, 0, 'nothing was written');

    const second = await r.click(megan, target, 'card-1');
    assert.equal(second.status, 200);
    assert.equal(r.tenant.getRoleRequest(r.seed.examples.roleRequestId)?.status, 'Canceled');
  });
});
