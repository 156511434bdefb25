// After a write Graph left unanswered (a 5xx, or no answer: its outcome is unknown,
// https://learn.microsoft.com/en-us/graph/errors), the one re-send may be refused for the item's
// state because the first write landed, while a read right after still shows the item open
// (a read may lag a write: "A successful write to Microsoft Entra does not guarantee that an
// immediate read will reflect that change",
// https://devblogs.microsoft.com/identity/designing-for-eventual-consistency-for-microsoft-entra/).
// The person must not be told "Nothing was changed": the first write went out and may have taken
// effect, so the words are those of an uncertain write (check before trying again).

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { InvalidStateError } from '../../src/domain/errors';
import { CATALOG } from '../../src/domain/operations';
import { ScriptedGraph, actor, hung, roleTarget, service } from '../fixtures/scriptedGraph';

describe('GovernanceService: the words after an uncertain write whose re-send is refused', () => {
  it('never says nothing was changed while the first write may have landed', async () => {
    const graph = new ScriptedGraph(
      [hung(), new InvalidStateError('The request is not in a state that can be canceled.', null)],
      [
        { state: 'PendingApproval', graph: { status: 200, requestId: 'r1' } },
        { state: 'PendingApproval', graph: { status: 200, requestId: 'r2' } },
      ],
    );
    const outcome = await service(graph).svc.perform(roleTarget, actor);
    assert.equal(graph.writes, 2, 'one re-send, no third write');
    assert.ok(!outcome.ok);
    const words = explain(outcome.error, CATALOG[roleTarget.operation]);
    const said = `${words.title}. ${words.what} ${words.next}`;
    assert.doesNotMatch(said, /Nothing was changed/, said);
    assert.match(said, /so it is not changed twice/, said);
  });
});
