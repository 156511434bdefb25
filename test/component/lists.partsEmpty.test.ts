// A list some of whose parts Graph refused and the rest of which it answered with nothing: the card's
// header says which parts were read and hold nothing, and which could not be read (the notes below
// say why), rather than that nothing could be listed, which reads as if every part failed. Each part
// is its own read in one JSON batch, answered with its own status
// (https://learn.microsoft.com/en-us/graph/json-batching); the PIM role approver filter is refused to
// a user without one of the roles its page names
// (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0),
// while the access package approver filter answers an approver with nothing to decide with an
// empty collection
// (https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0).
// The seed's users (README, "The sandbox"): Diego Siciliani may not read PIM role approvals and has
// no PIM for Groups or access package request to decide; Grady Archie may read only access package
// approvals, and has none to decide.

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { ListContent, listSession, rowsOf } from './listSession';

/** The line under the card's title. */
const headerOf = (c: ListContent): string =>
  String(((c.body[1] as { inlines?: Array<{ text?: string }> }).inlines ?? [])[0]?.text ?? '');

describe('my approvals: a list with parts refused and the rest empty', () => {
  let rig: Rig;
  const { list } = listSession((r) => (rig = r));

  it('Diego Siciliani: the PIM role part could not be read, the other two were read and are empty', async () => {
    const diego = rig.user(6);
    assert.equal(diego.name, 'Diego Siciliani');
    const { content } = await list(diego, 'my approvals');
    assert.equal(rowsOf(content).length, 0);
    const header = headerOf(content);
    assert.equal(
      header,
      'No PIM for Groups or access package approvals wait for you. PIM role approvals could not be listed; see below.',
    );
    assert.match(JSON.stringify(content), /PIM role approvals could not be listed: not permitted/);
  });

  it('Grady Archie: the PIM parts could not be read, the access package part was read and is empty', async () => {
    const grady = rig.user(7);
    assert.equal(grady.name, 'Grady Archie');
    const { content } = await list(grady, 'my approvals');
    assert.equal(rowsOf(content).length, 0);
    assert.equal(
      headerOf(content),
      'No access package approvals wait for you. PIM role and PIM for Groups approvals could not be listed; see below.',
    );
  });

  it('Grady Archie’s my requests: the same for requests he could cancel', async () => {
    const { content } = await list(rig.user(7), 'my requests');
    assert.equal(
      headerOf(content),
      'You have no access package requests that can still be cancelled. PIM role and PIM for Groups requests could not be listed; see below.',
    );
  });

  it('Adele Vance: when no part could be read, the header names them all', async () => {
    const adele = rig.user(1);
    assert.equal(adele.name, 'Adele Vance');
    const { content } = await list(adele, 'my approvals');
    assert.equal(
      headerOf(content),
      'PIM role, PIM for Groups and access package approvals could not be listed; see below.',
    );
  });
});
