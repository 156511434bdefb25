// A decision on one's own request is refused unsent ("Approvers aren't able to approve their own
// role activation requests":
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow;
// "Approvers aren't able to approve their own access package requests":
// https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy),
// and the reply names the command that withdraws it instead. That command is the catalog's cancel
// entry's (the deciding entry's `withdrawnBy`), so it is one the bot's grammar runs: sent as it is
// written, it cancels that very request, whatever the cancel command is called.

import { strict as assert } from 'node:assert';
import { parseCommand } from '../../src/bot/commands';
import { ownRequestCard } from '../../src/cards/refusalWording';
import { explain } from '../../src/cards/wording';
import { APPROVAL_STATES } from '../../src/domain/catalog/approvalView';
import { APPROVAL_OPERATION_NAMES } from '../../src/domain/catalog/approvals';
import { NotForReaderError, OwnRequestError } from '../../src/domain/errors';
import { CATALOG, Target, withdrawalOf } from '../../src/domain/operations';

const REQUEST = '6f1b7c9e-2d4a-4e8b-9c3f-0a1b2c3d4e5f';

/** The command a reply tells the user to send ('send "…"'). */
function commandIn(next: string): string {
  const sent = /send "([^"]+)"/.exec(next);
  assert.ok(sent, `no command to send in: ${next}`);
  return sent[1]!;
}

describe('the command that withdraws one’s own request comes from the catalog’s cancel entry', () => {
  it('every approval entry names a cancel with a command and the ids the decision has', () => {
    for (const name of APPROVAL_OPERATION_NAMES) {
      const spec = CATALOG[name];
      const cancel = withdrawalOf(spec);
      assert.ok(cancel, `${name} names no operation that withdraws its request`);
      assert.ok(cancel.command, `${cancel.name} has no command`);
      assert.equal(cancel.method, 'POST', `${cancel.name} is a cancel`);
      for (const id of cancel.idNames) assert.ok(spec.idNames.includes(id), `${name} has no ${id} for ${cancel.name}`);
    }
  });

  for (const name of APPROVAL_OPERATION_NAMES) {
    it(`${name}: the command each refusal names parses as the cancel of that request`, () => {
      const spec = CATALOG[name];
      const target: Target = { operation: name, ids: { requestId: REQUEST }, decision: 'approve' };
      const replies = {
        ownRequest: explain(new OwnRequestError(), spec, target).next,
        notForReader: explain(new NotForReaderError('Not your stage.', APPROVAL_STATES.notMine), spec, target).next,
        ownRequestCard: ownRequestCard(spec, target).next,
      };
      for (const [reply, next] of Object.entries(replies)) {
        const parsed = parseCommand(commandIn(next));
        assert.equal(parsed.kind, 'operation', `${reply}: ${next}`);
        if (parsed.kind !== 'operation') continue;
        assert.equal(parsed.target.operation, spec.withdrawnBy, `${reply}: ${next}`);
        assert.equal(parsed.target.ids.requestId, REQUEST, `${reply}: ${next}`);
      }
    });
  }
});
