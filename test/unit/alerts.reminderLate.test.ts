// A reminder is rendered once, by the periodic pass, and each channel's post follows in its own time
// (pacing, retries, an outage): a post two hours after the pass must not say "expires in 4 h" when
// two remain. A PIM approval lapses 24 hours after the request ("Delegated approvers have 24 hours to
// approve requests", https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-approval-workflow),
// an access package stage at its policy's automatic denial
// (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage): the card names that
// moment, which stays true however late it is posted, never a time left counted at the pass.

import { strict as assert } from 'node:assert';
import { alertCardAt } from '../../src/alerts/alertStore';
import { DueReminder, reminderCards } from '../../src/alerts/reminders';

const ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const MOMENT = Date.UTC(2026, 2, 18, 8, 30, 0);
const H = 3_600_000;

function due(kind: DueReminder['approval']['kind'], expiresAt = MOMENT): DueReminder {
  return {
    approval: { kind, requestId: ID, createdAt: MOMENT - 20 * H, title: 'Adele Vance requested Global Reader' },
    expiresAt,
  };
}

/** The words of the reminder as a channel posted at `postedAt` sees them. */
function postedAt(d: DueReminder, passAt: number, at: number): string {
  const stored = reminderCards(d, passAt);
  const card = alertCardAt(stored, at);
  return `${card.summary}\n${JSON.stringify(card.attachment.content)}`;
}

describe('alerts: a reminder posted later than its pass', () => {
  for (const kind of ['roleRequest', 'accessPackageRequest'] as const) {
    it(`never says more time is left than remains when it is posted (${kind})`, () => {
      const pass = MOMENT - 4 * H;
      for (const late of [0, 1 * H, 2 * H, 3 * H + 59 * 60_000]) {
        const text = postedAt(due(kind), pass, pass + late);
        assert.doesNotMatch(text, /expires in \d/, `posted ${late / 60_000} min after the pass: ${text}`);
        // The moment itself, in the summary (the notification's line) and in the card's title.
        assert.match(text, /^Approval expires at 2026-03-18 08:30 UTC: Adele Vance requested Global Reader/);
      }
    });
  }

  it('names a moment between minutes by its minute, never later than it is', () => {
    const text = postedAt(due('roleRequest', MOMENT + 59_000), MOMENT - 3 * H, MOMENT - 3 * H);
    assert.match(text, /Approval expires at 2026-03-18 08:30 UTC/);
    assert.doesNotMatch(text, /08:31/);
  });
});
