// A typed decision its sender had already made (the same command twice, or a card pressed before)
// is no failure: their decision stands. A press with the same outcome shows it in the good style
// (clickOutcomes.ts "Already Approved …; nothing more to do."); the typed answer says so in the
// same colour, on the result card, never on the red error card. A different decision of theirs
// (they denied, now approve) was not applied: that one stays a refusal.

import { strict as assert } from 'node:assert';
import { DecidedElsewhereError } from '../../src/domain/errors';
import type { Target } from '../../src/domain/operations';
import { describeOutcome } from '../../src/cards/outcomeWording';

const target = (decision: 'approve' | 'deny'): Target => ({
  operation: 'decideRoleApproval',
  decision,
  ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' },
});
const graph = { status: 409, requestId: 'g' };
const own = (state: string, requested: string) =>
  new DecidedElsewhereError('x', state, requested, 'Megan Bowen', '2026-03-02T09:05:00Z', graph, 'afterRefusal', true);

describe('a typed decision its sender had already made', () => {
  for (const [decision, state] of [
    ['approve', 'Approved'],
    ['deny', 'Denied'],
  ] as const)
    it(`${decision} after ${state} by them: the result card, as a press shows it`, () => {
      const d = describeOutcome(
        { ok: false, target: target(decision), error: own(state, decision), correlationId: 'c' },
        { at: new Date(0) },
      );
      assert.equal(d.card, 'result');
      const words = JSON.stringify(d.data);
      assert.match(words, /You already decided this/);
      assert.match(words, new RegExp(`already ${state} by you`));
      assert.match(words, /correlation c/, 'the support line stays');
    });

  it('approve after they denied: still the error card (not applied)', () => {
    const d = describeOutcome(
      { ok: false, target: target('approve'), error: own('Denied', 'approve'), correlationId: 'c' },
      { at: new Date(0) },
    );
    assert.equal(d.card, 'error');
  });
});
