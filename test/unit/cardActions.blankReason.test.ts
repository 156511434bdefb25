// A Deny pressed on a card whose "Why?" box holds only spaces: the bot trims what the box holds
// (cardActions.ts), so it arrives as no justification, whatever the client's own check of the
// required input (https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/input-validation)
// let through, and the bot refuses it. The refusal speaks of the card the approver pressed, its box
// and its button, never of a request id typed after a command, which is the typed command's way.

import { strict as assert } from 'node:assert';
import { buttonData, parseButtonData } from '../../src/bot/cardActions';
import { buttonsFor } from '../../src/bot/replyCards';
import { parseCommand } from '../../src/bot/commands';
import type { Target } from '../../src/domain/operations';

const ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

describe('a card Deny with a blank reason', () => {
  for (const operation of ['decideRoleApproval', 'decideGroupApproval', 'decideAccessPackageApproval'] as const) {
    it(`${operation}: refused, pointing at the card's box, not at a typed request id`, () => {
      const target: Target = { operation, ids: { requestId: ID } };
      const deny = buttonsFor(target).find((b) => b.title === 'Deny')!;
      assert.ok(deny.input, 'the Deny button has its box');
      const parsed = parseButtonData({
        ...buttonData(deny.data as unknown as Target),
        ...deny.data,
        [deny.input]: '   ',
      });
      assert.ok(!parsed.ok);
      assert.match(parsed.problem, /justification is required/);
      assert.doesNotMatch(parsed.problem, /request id/, parsed.problem);
      assert.match(parsed.problem, /“Why\?” box/, parsed.problem);
    });
  }

  it('a typed deny without a reason still says where it goes in the command', () => {
    const parsed = parseCommand(`deny role-request ${ID}`);
    assert.ok(parsed.kind === 'bad');
    assert.match(parsed.problem, /after the request id/);
  });
});
