// PIM's approver filter lists at most 50 requests and gives no next page (anchors-and-user-needs
// §2.2; https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0):
// a kind that came back with that many may have more waiting. The card's count and its summary in
// the activity feed (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages)
// must then not read as all there are, as with a next page ("1-10 of 50+", "50+ items").

import { strict as assert } from 'node:assert';
import { listCard } from '../../src/bot/listCards';
import type { WorkItem } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';
import { item } from '../fixtures/accessRows';

function capped(count: number): ListSnapshot<WorkItem> {
  return {
    readAt: 0,
    list: 'approvals',
    userId: 'megan',
    items: Array.from({ length: count }, (_, i) => item(i)),
    offset: 0,
    next: {},
    capped: ['role'],
    problems: [],
    parts: { read: ['role', 'group', 'access'], failed: [] },
    outcomes: {},
  };
}

describe('a list card whose approver filter answered at its cap', () => {
  it('counts "50+" on the card and in the summary, beside the note on the cap', () => {
    const card = listCard(capped(50), Date.UTC(2026, 0, 1));
    const json = JSON.stringify(card.attachment);
    assert.match(json, /1-10 of 50\+/);
    assert.equal(card.summary, 'Waiting for your approval: 50+ items');
    assert.match(json, /at most 50 at a time/);
  });

  it('fewer rows than the cap (own requests left out) still count as "at least"', () => {
    assert.equal(listCard(capped(48), Date.UTC(2026, 0, 1)).summary, 'Waiting for your approval: 48+ items');
  });
});
