// A typed decision's answer stays in the chat for good, under the time the command was sent, as a
// pressed card's words do under the time the card was posted: a moment in it says its day the same
// way ("08:30 UTC on 2026-03-18", laterStage.ts decidedText; the README's pressed card example).
// The typed-twice guard's "sent before you approved the previous stage", a later stage that has
// since ended the request, and a decision found made already said "2026-03-18 08:30 UTC", or the
// time alone.

import { strict as assert } from 'node:assert';
import { sentBeforeOwnStage } from '../../src/cards/refusalWording';
import { explain } from '../../src/cards/wording';
import { DecidedElsewhereError } from '../../src/domain/errors';
import { endedSinceText } from '../../src/domain/laterStage';
import { CATALOG } from '../../src/domain/operations';

const spec = CATALOG.decideAccessPackageApproval;
const OTHER_FORM = /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/;

describe('a typed decision says a moment as a pressed card does: "HH:MM UTC on YYYY-MM-DD"', () => {
  it('sent before the sender approved the previous stage (the typed-twice guard)', () => {
    const w = sentBeforeOwnStage(spec, '2026-03-18T08:30:12Z');
    assert.match(w.what, /approved the previous stage of this [a-z ]+ \(at 08:30 UTC on 2026-03-18\)/);
  });

  it('a later stage that has since ended the request', () => {
    const text = endedSinceText({ state: 'Denied', by: 'Lynne Robbins', at: '2026-07-01T09:07:30Z' });
    assert.equal(
      text,
      'A later stage has since ended the request: Denied by Lynne Robbins at 09:07 UTC on 2026-07-01.',
    );
  });

  it('a decision found made already, by the sender or by someone else', () => {
    for (const byAsker of [true, false]) {
      for (const learnt of ['afterNoAnswer', 'afterRefusal'] as const) {
        const e = new DecidedElsewhereError(
          'x',
          'Denied',
          'approve',
          'Megan Bowen',
          '2026-03-18T08:30:00Z',
          undefined,
          learnt,
          byAsker,
        );
        const w = explain(e, spec, undefined, 'command');
        assert.match(w.what, / at 08:30 UTC on 2026-03-18\b/, w.what);
        assert.doesNotMatch(w.what, OTHER_FORM, w.what);
      }
    }
  });
});
