// "my requests" through the real handler, the Graph reader and the simulated tenant: the user's
// own pending requests with Cancel that works from the list, and the PIM role requests the role
// filter does not list said so, not hidden.
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { buttonsOf, headingOf, headings, rowsOf, listSession } from './listSession';

describe('my requests: the list card', () => {
  let rig: Rig;
  const { list, press } = listSession((r) => (rig = r));

  it('my requests: the user’s own pending requests, each with Cancel that works from the list', async () => {
    const diego = rig.user(6);
    const { card, content } = await list(diego, 'my requests');
    // His two PIM for Groups requests and his access package request. His PIM role requests are not
    // listed: filterByCurrentUser on role requests asks a PIM read role he lacks
    // (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0),
    // and the card says that part could not be listed instead of hiding it.
    assert.equal(headings(content).length, 3);
    assert.match(JSON.stringify(content), /PIM role requests could not be listed: not permitted/);
    // It names the read's roles, not the rights to cancel a request (a different question).
    assert.match(
      JSON.stringify(content),
      /lists them only to someone with one of the roles Global Reader, Security Operator, Security Reader, Security Administrator or Privileged Role Administrator/,
    );
    assert.doesNotMatch(JSON.stringify(content), /To cancel your own/);
    const row = rowsOf(content).find((r) => headingOf(r) === 'Access package · Contoso sales portal')!;
    const cancel = buttonsOf(row);
    assert.deepEqual(
      cancel.map((b) => b.title),
      ['Cancel'],
    );
    const answer = await press(diego, card.id!, cancel[0]!.data as Record<string, unknown>);
    assert.match(JSON.stringify(answer.value), /Cancelled by Diego Siciliani/);
    assert.equal(rig.tenant.getAccessRequest(rig.seed.selfService.accessRequestIds[0]!)?.state, 'canceled');
  });

  it('my requests: with the PIM overview’s reading (no read role for one’s own), his role requests are listed too', async () => {
    rig.tenant.setUnconfirmed({ pimRoleMineRole: 'none' });
    const { content } = await list(rig.user(6), 'my requests');
    assert.equal(headings(content).length, 5);
    assert.doesNotMatch(JSON.stringify(content), /could not be listed/);
  });
});
