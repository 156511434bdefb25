// A PIM approval's Approve that opens a "Why?" box names that box in its data (why), since the
// Adaptive Cards renderer Teams clients use sends an input only when it holds text
// (node_modules/adaptivecards/lib/card-elements.js, Action internalPrepareForExecution and TextInput
// isSet): a box left empty where the client did not hold the press back for the required box
// (https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/input-validation) sends no
// field, as the Approve of a card posted before it asked "Why?" does. The name is a kind of box (the
// card's own, a list row's shared one), read as this item's input of that kind, and nothing else.

import { strict as assert } from 'node:assert';
import { buttonData, parseButtonData } from '../../src/bot/cardActions';
import { rowButtons } from '../../src/bot/listButtons';
import { buttonsFor } from '../../src/bot/replyCards';
import type { Target } from '../../src/domain/operations';

const ID = '95c690fb-3eb3-4942-a03f-000000000007';
const approve: Target = { operation: 'decideRoleApproval', ids: { requestId: ID }, decision: 'approve' };
const OWN = `justification_approve_${ID}`;
const SHARED = `justification_${ID}`;
const problemOf = (data: Record<string, unknown>): string => {
  const parsed = parseButtonData(data);
  assert.equal(parsed.ok, false, JSON.stringify(parsed));
  return parsed.ok ? '' : parsed.problem;
};

describe('button data: the "Why?" box an Approve names', () => {
  it("a card's Approve names its own box, a row's Approve the row's one box, and a Deny names none", () => {
    const card = buttonsFor({ operation: approve.operation, ids: approve.ids });
    assert.equal(card.find((b) => b.title === 'Approve')!.input, OWN);
    assert.equal(card.find((b) => b.title === 'Approve')!.data.why, 'card');
    assert.equal(card.find((b) => b.title === 'Deny')!.data.why, undefined);
    const [row] = rowButtons({ operation: approve.operation, ids: approve.ids }, 'approvals');
    assert.equal(row!.input, SHARED);
    assert.equal(row!.choices.find((c) => c.title === 'Approve')!.data.why, 'row');
    assert.equal(row!.choices.find((c) => c.title === 'Deny')!.data.why, undefined);
  });

  it('reads the reason from the box the data names', () => {
    for (const [why, box, other] of [
      ['card', OWN, SHARED],
      ['row', SHARED, OWN],
    ] as const) {
      const parsed = parseButtonData({ ...buttonData(approve), why, [box]: ' Ticket 4711 ', [other]: 'Not this' });
      assert.ok(parsed.ok, JSON.stringify(parsed));
      assert.equal(parsed.target.justification, 'Ticket 4711');
    }
  });

  it('with the named box sent empty or not at all, asks for the box, not for a card without one', () => {
    for (const [why, box] of [
      ['card', OWN],
      ['row', SHARED],
    ] as const) {
      for (const sent of [{}, { [box]: '' }]) {
        const problem = problemOf({ ...buttonData(approve), why, ...sent });
        assert.match(problem, /Type why in the card’s “Why\?” box/);
        assert.doesNotMatch(problem, /sends none/);
      }
    }
  });

  it('without a named box and without the field, is a card that has none (cards already posted)', () => {
    assert.match(problemOf({ ...buttonData(approve) }), /This card’s Approve sends none/);
    assert.match(problemOf({ ...buttonData(approve), list: 'approvals' }), /This card’s Approve sends none/);
  });

  it('refuses a name that is no kind of box, never reading the field it names', () => {
    for (const named of ['verb', 'list', OWN, SHARED, 'Card', 'toString', '', 1, null, ['card']]) {
      const data = { ...buttonData(approve), why: named, [OWN]: 'Ticket 4711', [SHARED]: 'Ticket 4711' };
      if (typeof named === 'string') Object.assign(data, { [named]: 'Ticket 4711' });
      assert.match(problemOf(data), /names no “Why\?” box/, JSON.stringify(named));
    }
  });
});
